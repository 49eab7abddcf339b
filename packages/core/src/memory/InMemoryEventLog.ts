import { VersionConflict } from '../errors.js';
import { partitionOf, DEFAULT_PARTITIONS } from '../partitionOf.js';
import type { PlanEvent } from '../planEvent.js';
import type { AppendRequest, AppendResult, EventLog, EventRange, PlanHead } from '../ports/EventLog.js';

/** The in-memory twin of the event log, for pure unit tests. Same contract as the Redis adapter. */
export class InMemoryEventLog implements EventLog {
  private readonly heads = new Map<string, PlanHead>();
  private readonly histories = new Map<string, PlanEvent[]>();
  private sequence = 0;

  constructor(private readonly partitions = DEFAULT_PARTITIONS) {}

  async append({ event, document }: AppendRequest): Promise<AppendResult> {
    const current = this.heads.get(event.planId)?.version ?? 0;
    if (current !== event.version - 1) throw new VersionConflict(event.planId, event.version - 1, current);
    const history = this.histories.get(event.planId) ?? [];
    history.push(structuredClone(event));
    this.histories.set(event.planId, history);
    this.heads.set(event.planId, { planId: event.planId, version: event.version, document: structuredClone(document) });
    this.sequence += 1;
    return { position: `${this.sequence}-0`, partition: partitionOf(event.planId, this.partitions) };
  }

  async head(planId: string): Promise<PlanHead | null> {
    const head = this.heads.get(planId);
    return head ? structuredClone(head) : null;
  }

  async events(planId: string, { from = 1, to = Number.MAX_SAFE_INTEGER }: EventRange = {}): Promise<PlanEvent[]> {
    return (this.histories.get(planId) ?? []).filter((e) => e.version >= from && e.version <= to).map((e) => structuredClone(e));
  }
}
