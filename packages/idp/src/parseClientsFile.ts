import { isApiScope } from './apiScopes.js';
import type { ClientRegistration } from './clientRegistration.js';
import { IdpConfigError } from './idpConfigError.js';

const FIELDS = ['client_id', 'client_secret', 'scope', 'org'] as const;

/**
 * Reads a clients file: a JSON array of `{ client_id, client_secret, scope, org }`, every field a
 * non-empty string, every scope one the api knows, no client_id twice.
 */
export function parseClientsFile(text: string, source = 'clients file'): ClientRegistration[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new IdpConfigError(`${source} is not valid JSON`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new IdpConfigError(`${source} must be a non-empty JSON array of clients`);
  }
  const seen = new Set<string>();
  return parsed.map((entry: unknown, index) => {
    const client = toRegistration(entry, `${source}[${index}]`);
    if (seen.has(client.clientId)) {
      throw new IdpConfigError(`${source} lists client_id '${client.clientId}' twice`);
    }
    seen.add(client.clientId);
    return client;
  });
}

function toRegistration(entry: unknown, where: string): ClientRegistration {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new IdpConfigError(`${where} must be an object`);
  }
  const record = entry as Record<string, unknown>;
  const [clientId, clientSecret, scope, org] = FIELDS.map((field) => {
    const value = record[field];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new IdpConfigError(`${where}.${field} must be a non-empty string`);
    }
    return value.trim();
  }) as [string, string, string, string];
  const unknownScope = scope.split(/\s+/).find((part) => !isApiScope(part));
  if (unknownScope !== undefined) {
    throw new IdpConfigError(`${where}.scope has unknown scope '${unknownScope}'`);
  }
  return { clientId, clientSecret, scope: scope.split(/\s+/).join(' '), org };
}
