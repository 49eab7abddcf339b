import type { ClientRegistration } from './clientRegistration.js';
import { devClients } from './devClients.js';

/** A person who may sign in at the login page, and what their tokens carry. */
export interface UserAccount {
  /** Typed at the login page; also the token's `sub`. */
  readonly username: string;
  readonly password: string;
  readonly email: string;
  /** Tenant written into every token as the `org` claim. */
  readonly org: string;
  /** Space-separated scopes the user may be granted. */
  readonly scope: string;
}

/** One user per development client, with the same org and scopes: `reader` is `dev-reader` as a person. */
function userFor(client: ClientRegistration): UserAccount {
  const username = client.clientId.replace(/^dev-/, '');
  return { username, password: `${username}-password`, email: `${username}@${client.org}`, org: client.org, scope: client.scope };
}

/** The development users (`reader`, `writer`, `auditor`, `admin`, `other`); never served in production. */
export const devUsers: readonly UserAccount[] = devClients.map(userFor);
