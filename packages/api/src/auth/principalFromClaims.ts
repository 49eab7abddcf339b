import type { EventActor } from '@planledger/core';

/** Who is calling, as the api needs it: client, subject, granted scopes, the org it acts for, and who acts for the subject. */
export interface Principal {
  /** The OAuth 2.0 client: `client_id` (RFC 9068), else `azp`, else `sub`. */
  readonly clientId: string;
  readonly subject: string;
  readonly scopes: ReadonlySet<string>;
  readonly org: string | null;
  /** The token's `email` claim, when it carries one. */
  readonly email?: string;
  /** The RFC 8693 `act` claim (the current actor; any nested chain is not kept), when it is well formed. */
  readonly act?: { readonly sub: string; readonly client_id?: string };
}

export interface ClaimMapping {
  /** Claim holding the scopes: a space-separated string or an array (`scope`, `scp`). */
  readonly scopeClaim: string;
  /** Claim holding the caller's org (`org`; `hd` for Google Workspace ID tokens). */
  readonly orgClaim: string;
  /**
   * Scopes granted by identity where tokens carry none (e.g. Google ID tokens): keys are a
   * verified `email` or a `sub`, values space-separated scopes.
   */
  readonly grants: Readonly<Record<string, string>>;
}

export const DEFAULT_CLAIM_MAPPING: ClaimMapping = { scopeClaim: 'scope', orgClaim: 'org', grants: {} };

/** Turns verified token claims into a principal; pure, so every issuer's shape is testable. */
export function principalFromClaims(claims: Record<string, unknown>, mapping: ClaimMapping): Principal {
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  const scopes = new Set(splitScopes(claims[mapping.scopeClaim]));
  const email = claims.email_verified === true && typeof claims.email === 'string' ? claims.email : null;
  for (const key of [email, subject]) {
    if (key && mapping.grants[key]) splitScopes(mapping.grants[key]).forEach((scope) => scopes.add(scope));
  }
  const org = claims[mapping.orgClaim];
  const clientId = [claims.client_id, claims.azp, subject].find((value): value is string => typeof value === 'string' && value !== '') ?? '';
  const act = actClaim(claims.act);
  return {
    clientId,
    subject,
    scopes,
    org: typeof org === 'string' && org !== '' ? org : null,
    ...(typeof claims.email === 'string' && claims.email !== '' ? { email: claims.email } : {}),
    ...(act ? { act } : {}),
  };
}

/** What an event records of who made it. */
export function actorOfPrincipal({ clientId, subject, email, act }: Principal): EventActor {
  return { clientId, ...(subject ? { subject } : {}), ...(email ? { email } : {}), ...(act ? { act } : {}) };
}

/** RFC 8693 §4.1: `act` is an object whose `sub` names the actor; `client_id` may name its client. */
function actClaim(value: unknown): Principal['act'] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { sub, client_id: clientId } = value as Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '') return undefined;
  return { sub, ...(typeof clientId === 'string' && clientId !== '' ? { client_id: clientId } : {}) };
}

function splitScopes(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** Reads OIDC_SCOPE_GRANTS: a JSON object from email or subject to space-separated scopes. */
export function parseScopeGrants(json: string): Record<string, string> {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
    throw new Error('OIDC_SCOPE_GRANTS must be a JSON object of strings, e.g. {"alice@example.com":"plans:read"}');
  }
  return Object.assign(Object.create(null) as Record<string, string>, parsed);
}
