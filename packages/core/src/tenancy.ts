import { checkedPart, recordOf, type Remembering } from './checkedParts.js';
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

/** Every nested object (anything with an objectId) must belong to the plan's org; a pointer is spelled out only for a violation. */
export function findForeignOrgs(value: JsonValue, org: string, pointer = '', { remember = false }: Remembering = {}): Violation[] {
  if (allOfOrg(value, org, pointer !== '', remember)) return [];
  const violations: Violation[] = [];
  const path: string[] = [];
  const here = () => pointer + path.map((segment) => `/${segment}`).join('');
  const walk = (node: JsonValue): void => {
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index += 1) {
        const item = node[index]!;
        if (typeof item !== 'object' || item === null) continue;
        path.push(String(index));
        walk(item);
        path.pop();
      }
      return;
    }
    if (!isJsonObject(node)) return;
    if ((pointer !== '' || path.length > 0) && 'objectId' in node && node._org !== org) violations.push({ pointer: `${here()}/_org`, message: `must be the plan's org '${org}'` });
    for (const key of Object.keys(node)) {
      const member = node[key]!;
      if (typeof member !== 'object' || member === null) continue;
      path.push(escapePointer(key));
      walk(member);
      path.pop();
    }
  };
  walk(value);
  return violations;
}

/**
 * Whether every nested object below `value` (and `value` itself, when `nested`) belongs to `org`:
 * the same walk as findForeignOrgs, spelling out no pointer, and not below parts found to belong
 * to the org before (see checkedParts).
 */
function allOfOrg(value: JsonValue, org: string, nested: boolean, remember: boolean): boolean {
  const walked: object[] = [];
  const stack: { readonly node: JsonValue; readonly nested: boolean }[] = [{ node: value, nested }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node } = item;
    if (typeof node !== 'object' || node === null) continue;
    const isArray = Array.isArray(node);
    if (!isArray && item.nested && 'objectId' in node && node._org !== org) return false;
    if (checkedPart(node)?.org === org) continue;
    if (remember) walked.push(node);
    for (const member of isArray ? node : Object.values(node)) if (typeof member === 'object' && member !== null) stack.push({ node: member, nested: true });
  }
  for (const node of walked) recordOf(node).org = org;
  return true;
}
