import { diffDocuments } from './applyJsonPatch.js';
import { describeChanges } from './describeChanges.js';
import { PlanNotFound, VersionOutOfRange } from './errors.js';
import { historyEntries, type HistoryEntry } from './historyEntry.js';
import type { PlanDocument } from './planDocument.js';
import type { JsonPatch } from './planEvent.js';
import type { EventLog, PlanHead } from './ports/EventLog.js';
import type { PlanRef } from './planRef.js';
import { tenantMayAccess, type Tenant } from './tenancy.js';

export interface HistoryPage {
  readonly planId: string;
  /** The plan's newest version: history runs 1…latest. */
  readonly latest: number;
  /** Each event with its readable change lines (and, for a delete, what was deleted). */
  readonly events: HistoryEntry[];
  /** First version of the next page, or null on the last page. */
  readonly next: number | null;
}

export interface PlanDiff {
  readonly planId: string;
  readonly from: number;
  readonly to: number;
  /** RFC 6902 patch turning version `from` into version `to` (a deleted version counts as `{}`). */
  readonly patch: JsonPatch;
  readonly changes: string[];
}

export type PointInTime = { readonly version: number } | { readonly asOf: Date };

/** What auditors read: every plan's history, what it looked like at any moment, and diffs. */
export interface PlanAudit {
  history(plan: PlanRef, tenant: Tenant, page: { from: number; limit: number }): Promise<HistoryPage>;
  /** The plan as it was; deleted plans included. */
  at(plan: PlanRef, tenant: Tenant, when: PointInTime): Promise<{ version: number; document: PlanDocument }>;
  diff(plan: PlanRef, tenant: Tenant, from: number, to: number): Promise<PlanDiff>;
}

export function createPlanAudit({ log }: { log: EventLog }): PlanAudit {
  /** A plan the tenant may audit: any plan that ever existed in its org, deleted or not. */
  const auditable = async (plan: PlanRef, tenant: Tenant): Promise<PlanHead> => {
    if (!tenantMayAccess(tenant, plan.org)) throw new PlanNotFound(plan.planId);
    const head = await log.head(plan);
    if (!head) throw new PlanNotFound(plan.planId);
    return head;
  };

  const versionIn = (head: PlanHead, version: number, name: string): number => {
    if (!Number.isInteger(version) || version < 0 || version > head.version) throw new VersionOutOfRange(head.planId, name, version, name === 'version' ? 1 : 0, head.version);
    return version;
  };

  return {
    async history(plan, tenant, { from, limit }) {
      const head = await auditable(plan, tenant);
      const first = Math.max(1, from);
      const to = Math.min(head.version, first + limit - 1);
      if (first > to) return { planId: plan.planId, latest: head.version, events: [], next: null };
      // The plan before the page, read once (from the nearest snapshot), then each event's patch
      // folded over it: a page costs the plan's own events, never the whole log.
      const [before, events] = await Promise.all([log.stateAt(plan, first - 1), log.events(plan, { from: first, to })]);
      const last = events.at(-1)?.version ?? first - 1;
      return { planId: plan.planId, latest: head.version, events: historyEntries(before, events), next: last < head.version ? last + 1 : null };
    },

    async at(plan, tenant, when) {
      const { planId } = plan;
      if (!tenantMayAccess(tenant, plan.org)) throw new PlanNotFound(planId);
      // By time, the head (existence) and the version at that time are read at once: one round
      // trip fewer. By version, the head's bounds are checked first, so a version past the end
      // costs no fold.
      const [head, at] = await Promise.all([auditable(plan, tenant), 'asOf' in when ? log.versionAt(plan, when.asOf) : null]);
      const version = at ?? versionIn(head, (when as { version: number }).version, 'version');
      if (version === 0) throw new PlanNotFound(planId, `Plan '${planId}' did not exist yet at that time.`);
      const state = await log.stateAt(plan, version);
      if (state.document === null) throw new PlanNotFound(planId, `Plan '${planId}' was deleted at version ${version}.`);
      return { version, document: state.document };
    },

    async diff(plan, tenant, from, to) {
      const head = await auditable(plan, tenant);
      const [before, after] = await Promise.all([log.stateAt(plan, versionIn(head, from, 'from')), log.stateAt(plan, versionIn(head, to, 'to'))]);
      const a = before.document ?? {};
      const b = after.document ?? {};
      return { planId: plan.planId, from, to, patch: diffDocuments(a, b), changes: describeChanges(a, b) };
    },
  };
}
