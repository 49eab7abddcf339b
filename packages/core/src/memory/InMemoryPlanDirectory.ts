import { collectObjectIds } from '../collectObjectIds.js';
import { InvalidCursor } from '../errors.js';
import type { PlanChange, ProjectionTarget } from '../ports/PlanChange.js';
import type { DirectoryPage, PlanDirectory, PlanSummary } from '../ports/PlanDirectory.js';
import { planKey, refOf } from '../planRef.js';

/** The in-memory twin of the plan directory read model. Same contract as the Redis adapter. */
export class InMemoryPlanDirectory implements ProjectionTarget, PlanDirectory {
  readonly name = 'directory';
  private readonly plans = new Map<string, PlanSummary>();
  private readonly holders = new Map<string, Set<string>>();
  private readonly versions = new Map<string, number>();

  async apply({ event, before, after, passed }: PlanChange): Promise<void> {
    const { planId, org } = event;
    const key = planKey(refOf(event));
    // Never backwards: a change older than the newest seen (deletes included) changes nothing.
    if ((this.versions.get(key) ?? 0) > after.version) return;
    this.versions.set(key, after.version);
    const holding = (objectId: string) => planKey({ org, planId: objectId });
    for (const document of [before.document, ...(passed ?? [])]) for (const objectId of collectObjectIds(document)) this.holders.get(holding(objectId))?.delete(planId);
    for (const objectId of collectObjectIds(after.document)) this.holders.set(holding(objectId), (this.holders.get(holding(objectId)) ?? new Set()).add(planId));
    if (after.document === null) this.plans.delete(key);
    else {
      const planType = typeof after.document.planType === 'string' ? after.document.planType : null;
      this.plans.set(key, { planId, org, version: after.version, at: event.at, planType });
    }
  }

  async list(org: string, { cursor, limit }: { cursor?: string; limit: number }): Promise<DirectoryPage> {
    const sorted = [...this.plans.values()]
      .filter((p) => p.org === org)
      .sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (b.planId < a.planId ? -1 : b.planId > a.planId ? 1 : 0));
    let start = 0;
    if (cursor !== undefined) {
      start = sorted.findIndex((p) => p.planId === cursor) + 1;
      if (start === 0) throw new InvalidCursor();
    }
    const items = sorted.slice(start, start + limit);
    return { items, next: start + limit < sorted.length ? (items.at(-1)?.planId ?? null) : null };
  }

  async plansHolding(org: string, objectId: string): Promise<string[]> {
    return [...(this.holders.get(planKey({ org, planId: objectId })) ?? [])].sort();
  }

  async counts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const { org } of this.plans.values()) counts[org] = (counts[org] ?? 0) + 1;
    return counts;
  }
}
