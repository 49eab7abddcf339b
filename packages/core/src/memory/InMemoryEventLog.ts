import { VersionConflict } from '../errors.js';
import { foldPlan, type PlanState } from '../evolvePlan.js';
import { partitionOf, DEFAULT_PARTITIONS } from '../partitionOf.js';
import type { PlanEvent } from '../planEvent.js';
import { planKey, refOf, type PlanRef } from '../planRef.js';
import type { AppendRequest, AppendResult, EventLog, EventRange, IdempotencyOwner, IdempotencyRecord, PlanHead } from '../ports/EventLog.js';
import { InMemoryPartitionLog } from './InMemoryPartitionLog.js';

/**
 * The in-memory twin of the event log, for pure unit tests. Same contract as the Redis adapter
 * (claims never expire here). Its partition logs (`partitionLog`) hold every appended event, as
 * the Redis streams do, for the relay and replay.
 */
export class InMemoryEventLog implements EventLog {
  private readonly heads = new Map<string, PlanHead>();
  private readonly histories = new Map<string, PlanEvent[]>();
  private readonly idempotency = new Map<string, IdempotencyRecord>();
  private readonly claims = new Map<string, IdempotencyOwner>();
  readonly partitionLog: InMemoryPartitionLog;

  constructor(private readonly partitions = DEFAULT_PARTITIONS) {
    this.partitionLog = new InMemoryPartitionLog(partitions);
  }

  async append({ event, document, idempotency }: AppendRequest): Promise<AppendResult> {
    const key = planKey(refOf(event));
    const idempotencyKey = idempotency ? `${key}\u0000${idempotency.key}` : null;
    const prior = idempotencyKey === null ? undefined : this.idempotency.get(idempotencyKey);
    if (prior) return { kind: 'replayed', record: structuredClone(prior) };
    const current = this.heads.get(key)?.version ?? 0;
    if (current !== event.version - 1) throw new VersionConflict(event.planId, event.version - 1, current);
    const history = this.histories.get(key) ?? [];
    history.push(structuredClone(event));
    this.histories.set(key, history);
    this.heads.set(key, { planId: event.planId, version: event.version, document: structuredClone(document), org: event.org, at: event.at });
    const partition = partitionOf(key, this.partitions);
    const position = this.partitionLog.append(partition, JSON.stringify(event));
    if (idempotencyKey !== null && idempotency) {
      this.idempotency.set(idempotencyKey, { fingerprint: idempotency.fingerprint, version: event.version, position, partition });
    }
    return { kind: 'appended', position, partition };
  }

  async head(plan: PlanRef): Promise<PlanHead | null> {
    const head = this.heads.get(planKey(plan));
    return head ? structuredClone(head) : null;
  }

  async versions(plans: readonly PlanRef[]): Promise<number[]> {
    return plans.map((plan) => this.heads.get(planKey(plan))?.version ?? 0);
  }

  async events(plan: PlanRef, { from = 1, to = Number.MAX_SAFE_INTEGER }: EventRange = {}): Promise<PlanEvent[]> {
    return (this.histories.get(planKey(plan)) ?? []).filter((e) => e.version >= from && e.version <= to).map((e) => structuredClone(e));
  }

  async stateAt(plan: PlanRef, version: number): Promise<PlanState> {
    return foldPlan(await this.events(plan, { to: version }));
  }

  /** The newest version whose time, and every earlier version's, is at or before `at` (as the Redis log's version records). */
  async versionAt(plan: PlanRef, at: Date): Promise<number> {
    let version = 0;
    for (const event of this.histories.get(planKey(plan)) ?? []) {
      if (Date.parse(event.at) > at.getTime()) break;
      version = event.version;
    }
    return version;
  }

  async idempotencyRecord(plan: PlanRef, key: string): Promise<IdempotencyRecord | null> {
    return structuredClone(this.idempotency.get(`${planKey(plan)}\u0000${key}`) ?? null);
  }

  async claimIdempotencyKey(key: string, owner: IdempotencyOwner): Promise<IdempotencyOwner | null> {
    const held = this.claims.get(key);
    if (held) return structuredClone(held);
    this.claims.set(key, structuredClone(owner));
    return null;
  }

  async releaseIdempotencyKey(key: string, fingerprint: string): Promise<void> {
    if (this.claims.get(key)?.fingerprint === fingerprint) this.claims.delete(key);
  }
}
