/** Every scope the planledger api understands; a client may be granted any subset. */
export const API_SCOPES = ['plans:read', 'plans:write', 'audit:read', 'admin'] as const;

export type ApiScope = (typeof API_SCOPES)[number];

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}
