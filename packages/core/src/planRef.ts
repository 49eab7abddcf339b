/**
 * A plan's identity: plans are namespaced by org, so (org, objectId) names one plan and two orgs
 * may hold the same objectId as unrelated plans with separate logs, heads and projections.
 */
export interface PlanRef {
  readonly org: string;
  /** The plan's objectId. */
  readonly planId: string;
}

/**
 * The one string form of a plan's identity, used wherever a key, a document id, a routing value
 * or a partition hash needs it. Both parts are percent-encoded, so the `/` between them is
 * unambiguous whatever the org or id holds, and the result is safe in Redis keys and URLs.
 */
export function planKey({ org, planId }: PlanRef): string {
  return `${encodeKeyPart(org)}/${encodeKeyPart(planId)}`;
}

/** What `encodeURIComponent` leaves as it is. */
const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]*$/;

/** `encodeURIComponent(part)`, without building a new string for the usual part that needs no encoding (every event's key is taken several times). */
function encodeKeyPart(part: string): string {
  return UNRESERVED.test(part) ? part : encodeURIComponent(part);
}

/** The inverse of `planKey`; null for a string that is not one. */
export function parsePlanKey(key: string): PlanRef | null {
  const slash = key.indexOf('/');
  if (slash < 0 || key.indexOf('/', slash + 1) >= 0) return null;
  try {
    return { org: decodeURIComponent(key.slice(0, slash)), planId: decodeURIComponent(key.slice(slash + 1)) };
  } catch {
    return null;
  }
}

/** The plan an event belongs to. */
export function refOf(event: { readonly org: string; readonly planId: string }): PlanRef {
  return { org: event.org, planId: event.planId };
}

/** The plan a plan document is: its `_org` and `objectId`. */
export function refOfPlan(document: { readonly _org: string; readonly objectId: string }): PlanRef {
  return { org: document._org, planId: document.objectId };
}
