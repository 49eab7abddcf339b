import type { Client } from '@elastic/elasticsearch';
import { INITIAL_PLAN_STATE, type PlanState } from '../../evolvePlan.js';
import type { PlanDocument } from '../../planDocument.js';
import type { PlanEvent } from '../../planEvent.js';
import { refOf, type PlanRef } from '../../planRef.js';
import type { EventLog } from '../../ports/EventLog.js';
import type { PlanChange, ProjectionTarget } from '../../ports/PlanChange.js';
import type { HeldTemporalState, TemporalState } from '../../ports/TemporalState.js';
import { batcherOf, bulkActionLine, bulkSourceLine, type BulkBatcher, type BulkBatching } from './createBulkBatcher.js';
import { submitOrRefuse } from './ElasticPlanIndex.js';
import { temporalSteps, temporalWrites } from './temporalDocuments.js';

/**
 * Writes a plan's changes into the temporal index (see temporalDocuments): every version a change
 * spans is recorded with its own interval, even when the consumer coalesced several, because the
 * index answers for every moment. What the index holds of a plan comes from its own state (which
 * version, which object versions are open), not from the change's `before`: a rebuild's index is
 * written by the rebuild and the live projector, whose states differ, and the versions in between
 * are read from the log when the change does not carry them. Writes are idempotent (ids and
 * sources are functions of the history, external versions the version that wrote them); the
 * state moves forward only after the index took the writes.
 */
export class ElasticTemporalIndex implements ProjectionTarget {
  readonly name = 'asof';
  private readonly batcher: BulkBatcher;

  constructor(
    client: Client,
    private readonly index: string,
    private readonly state: TemporalState,
    private readonly log: EventLog,
    batching: BulkBatching = {},
  ) {
    this.batcher = batcherOf(client, batching);
  }

  async apply(change: PlanChange): Promise<void> {
    const plan = refOf(change.event);
    const held = await this.state.get(plan);
    if (held.version >= change.after.version) return;
    const { start, events, documents } = await this.stepsFrom(plan, held, change);
    const steps = temporalSteps(start, events, held.at, documents);
    const at = steps.at(-1)?.at ?? held.at;
    const { writes, open, opened, closed } = temporalWrites({ document: start.document, open: held.open }, steps);
    if (writes.length > 0) {
      let ndjson = '';
      for (const write of writes) ndjson += bulkActionLine('index', this.index, write.id, write.routing, write.version) + bulkSourceLine(write.source);
      await submitOrRefuse(this.batcher, ndjson, writes.length, `temporal document(s) of ${plan.planId}@${change.after.version}`);
    }
    await this.state.set(plan, { version: change.after.version, at, opened, closed, open });
  }

  /**
   * The plan as the index holds it and the events after it, up to the change's last; and, when
   * the change carries them, the documents after each of those events (its `passed`, then `after`).
   */
  private async stepsFrom(plan: PlanRef, held: HeldTemporalState, change: PlanChange): Promise<{ start: PlanState; events: readonly PlanEvent[]; documents?: readonly (PlanDocument | null)[] }> {
    const carried = change.events ?? [change.event];
    if (held.version === change.before.version && carried.length === change.after.version - change.before.version) {
      const passed = change.passed ?? [];
      const documents = passed.length === carried.length - 1 ? [...passed, change.after.document] : undefined;
      return { start: change.before, events: carried, ...(documents ? { documents } : {}) };
    }
    const start = held.version === 0 ? INITIAL_PLAN_STATE : await this.log.stateAt(plan, held.version);
    return { start, events: await this.log.events(plan, { from: held.version + 1, to: change.after.version }) };
  }
}
