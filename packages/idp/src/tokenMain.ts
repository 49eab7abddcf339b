#!/usr/bin/env node
import { fetchToken } from './fetchToken.js';
import { TokenRequestError } from './tokenRequestError.js';

const USAGE = `usage: planledger-token <client_id> [scope…]
Prints an access token for the client (client_credentials grant).
  OIDC_ISSUER        issuer to ask (default http://127.0.0.1:4000)
  IDP_CLIENT_SECRET  client secret (default <client_id>-secret)
`;

const [clientId, ...scopes] = process.argv.slice(2);
if (clientId === undefined || clientId === '' || clientId === '--help' || clientId === '-h') {
  process.stderr.write(USAGE);
  process.exit(2);
}

const issuer = process.env['OIDC_ISSUER'] || 'http://127.0.0.1:4000';
try {
  const token = await fetchToken({
    issuer,
    clientId,
    clientSecret: process.env['IDP_CLIENT_SECRET'] || `${clientId}-secret`,
    scope: scopes.length > 0 ? scopes.join(' ') : undefined,
  });
  process.stdout.write(`${token}\n`);
} catch (error) {
  if (!(error instanceof TokenRequestError)) throw error;
  const hint =
    error.error === 'idp_unreachable'
      ? ' (is the identity provider running? start it with `npm start` or `node packages/idp/dist/main.js`)'
      : '';
  process.stderr.write(`token: ${error.message}${hint}\n`);
  process.exit(1);
}
