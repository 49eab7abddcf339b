import { isJsonObject, type JsonValue } from './planDocument.js';
import type { Violation } from './errors.js';
import { escapePointer } from './forbiddenKeys.js';

/** On whose behalf a request acts: the token's org, or every org for admins. */
export interface Tenant {
  /** The caller's org; null when the token names none (such a caller sees no plan unless it crosses orgs). */
  readonly org: string | null;
  /** Admins may act on any org's plans. */
  readonly crossOrg: boolean;
}

export function tenantMayAccess(tenant: Tenant, org: unknown): boolean {
  return tenant.crossOrg || (tenant.org !== null && tenant.org === org);
}

/** Every nested object (anything with an objectId) must belong to the plan's org. */
export function findForeignOrgs(value: JsonValue, org: string, pointer = ''): Violation[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => findForeignOrgs(item, org, `${pointer}/${index}`));
  if (!isJsonObject(value)) return [];
  const own: Violation[] =
    pointer !== '' && 'objectId' in value && value._org !== org ? [{ pointer: `${pointer}/_org`, message: `must be the plan's org '${org}'` }] : [];
  return [...own, ...Object.entries(value).flatMap(([key, child]) => findForeignOrgs(child, org, `${pointer}/${escapePointer(key)}`))];
}
