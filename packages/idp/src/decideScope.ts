export type ScopeDecision =
  | { readonly granted: string }
  | { readonly notAllowed: string };

/**
 * What a client_credentials request gets: every allowed scope when it names none, else exactly
 * what it named, provided each one is allowed for the client.
 */
export function decideScope(options: { requested: string | undefined; allowed: string }): ScopeDecision {
  const allowed = splitScope(options.allowed);
  const requested = splitScope(options.requested ?? '');
  if (requested.length === 0) return { granted: allowed.join(' ') };
  const notAllowed = requested.find((scope) => !allowed.includes(scope));
  if (notAllowed !== undefined) return { notAllowed };
  return { granted: requested.join(' ') };
}

function splitScope(scope: string): string[] {
  return [...new Set(scope.split(' ').filter((part) => part !== ''))];
}
