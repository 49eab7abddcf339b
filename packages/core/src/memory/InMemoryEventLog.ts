import { VersionConflict } from '../errors.js';
import { foldPlan, type PlanState } from '../evolvePlan.js';
import { partitionOf, DEFAULT_PARTITIONS } from '../partitionOf.js';
import type { PlanEvent } from '../planEvent.js';
import type { AppendRequest, AppendResult, EventLog, EventRange, IdempotencyRecord, PlanHead } from '../ports/EventLog.js';

/** The in-memory twin of the event log, for pure unit tests. Same contract as the Redis adapter. */
export class InMemoryEventLog implements EventLog {
  private readonly heads = new Map<string, PlanHead>();
  private readonly histories = new Map<string, PlanEvent[]>();
  private readonly idempotency = new Map<string, IdempotencyRecord>();
  private sequence = 0;

  constructor(private readonly partitions = DEFAULT_PARTITIONS) {}

  async append({ event, document, idempotency }: AppendRequest): Promise<AppendResult> {
    const idempotencyKey = idempotency ? `${event.planId}\u0000${idempotency.key}` : null;
    const prior = idempotencyKey === null ? undefined : this.idempotency.get(idempotencyKey);
    if (prior) return { kind: 'replayed', record: structuredClone(prior) };
    const current = this.heads.get(event.planId)?.version ?? 0;
    if (current !== event.version - 1) throw new VersionConflict(event.planId, event.version - 1, current);
    const history = this.histories.get(event.planId) ?? [];
    history.push(structuredClone(event));
    this.histories.set(event.planId, history);
    this.heads.set(event.planId, { planId: event.planId, version: event.version, document: structuredClone(document), org: event.org, at: event.at });
    this.sequence += 1;
    const position = `${this.sequence}-0`;
    if (idempotencyKey !== null && idempotency) {
      this.idempotency.set(idempotencyKey, { fingerprint: idempotency.fingerprint, version: event.version, position, partition: partitionOf(event.planId, this.partitions) });
    }
    return { kind: 'appended', position, partition: partitionOf(event.planId, this.partitions) };
  }

  async head(planId: string): Promise<PlanHead | null> {
    const head = this.heads.get(planId);
    return head ? structuredClone(head) : null;
  }

  async events(planId: string, { from = 1, to = Number.MAX_SAFE_INTEGER }: EventRange = {}): Promise<PlanEvent[]> {
    return (this.histories.get(planId) ?? []).filter((e) => e.version >= from && e.version <= to).map((e) => structuredClone(e));
  }

  async stateAt(planId: string, version: number): Promise<PlanState> {
    return foldPlan(await this.events(planId, { to: version }));
  }

  async versionAt(planId: string, at: Date): Promise<number> {
    const earlier = (this.histories.get(planId) ?? []).filter((e) => Date.parse(e.at) <= at.getTime());
    return earlier.at(-1)?.version ?? 0;
  }

  async idempotencyRecord(planId: string, key: string): Promise<IdempotencyRecord | null> {
    return structuredClone(this.idempotency.get(`${planId}\u0000${key}`) ?? null);
  }
}
