import type { ClientRegistration } from './clientRegistration.js';

function devClient(clientId: string, scope: string, org = 'example.com'): ClientRegistration {
  return { clientId, clientSecret: `${clientId}-secret`, scope, org };
}

/** The development clients; never served in production (see resolveClients). */
export const devClients: readonly ClientRegistration[] = [
  devClient('dev-reader', 'plans:read'),
  devClient('dev-writer', 'plans:read plans:write'),
  devClient('dev-auditor', 'plans:read audit:read'),
  devClient('dev-admin', 'plans:read plans:write audit:read admin'),
  devClient('dev-other', 'plans:read plans:write', 'other.example'),
];
