export { API_SCOPES, isApiScope, type ApiScope } from './apiScopes.js';
export type { ClientRegistration } from './clientRegistration.js';
export {
  createIdentityProvider,
  type IdentityProvider,
  type IdentityProviderOptions,
} from './createIdentityProvider.js';
export { devClients } from './devClients.js';
export { CONSOLE_CLIENT_ID, DEFAULT_CONSOLE_ORIGINS } from './consoleClient.js';
export { devUsers, type UserAccount } from './devUsers.js';
export { fetchToken, type FetchTokenOptions } from './fetchToken.js';
export { IdpConfigError } from './idpConfigError.js';
export { loadOrCreateKeys, type IdpKeys } from './loadOrCreateKeys.js';
export { resolveClients, type ResolveClientsOptions } from './resolveClients.js';
export {
  startIdentityProvider,
  type RunningIdentityProvider,
  type StartIdentityProviderOptions,
} from './startIdentityProvider.js';
export { signInWithPassword, type SignInWithPasswordOptions } from './signInWithPassword.js';
export { TokenRequestError } from './tokenRequestError.js';
