/** A client allowed to use the client_credentials grant, and what its tokens carry. */
export interface ClientRegistration {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Space-separated scopes the client may request (and gets when it asks for none). */
  readonly scope: string;
  /** Tenant written into every token as the `org` claim. */
  readonly org: string;
}
