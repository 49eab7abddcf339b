import type { Stack } from '../stackProcesses.js';
import type { ApiClient } from '../apiClient.js';
import type { Topology } from './topology.js';
import type { AckedWrite, LoadOptions, WriteLoad } from './writeLoad.js';

export type { AckedWrite, LoadOptions, WriteLoad } from './writeLoad.js';

/** What one fault row measured. */
export interface FaultOutcome {
  /** Writes acknowledged to clients from the fault's injection until the row stopped its load. */
  acknowledged: number;
  /** Acknowledged writes the log does not hold as acknowledged (must be 0). */
  lost: number;
  /** Every projection equals the fold of the log, plan by plan, once the projectors caught up. */
  projectionsEqual: boolean;
  /** See {@link RECOVERY_MEANING}. */
  recoverMs: number;
  /** What else the row saw (counts, which node it killed); a row that saw a broken promise says so here and in `problems`. */
  detail?: string;
  /** Checks of the row's own beyond lost and equal (412s, gaps, memory) that failed; the row fails when any is here. */
  problems?: string[];
}

export interface FaultRow {
  id: number;
  name: string;
  /** Run by the fast subset (faultTable.cluster.test.ts, in `npm test`). */
  fast?: boolean;
  /** Parts of the cluster topology the row needs; without them it is reported as not run. */
  needs?: readonly ('redis' | 'rabbitmq' | 'es')[];
  run(ctx: FaultContext): Promise<FaultOutcome>;
}

/** The one meaning of "time to recover", printed under the table. */
export const RECOVERY_MEANING =
  'time to recover: from the fault\'s removal (the process or node restarted, the service back) — or its injection, for faults the system rides out without help (a promoted replica, a surviving instance) — until a probe write is acknowledged and every projection\'s checkpoint, in every partition, has passed where the log ended at that moment';

export interface FaultContext {
  readonly stack: Stack;
  /** Which cluster scripts the run has (kill/restart a node by port), or the single-node services. */
  readonly topology: Topology;
  /** Acknowledged operations each row gathers during its fault (`--ops`). */
  readonly ops: number;
  /** How long the timed faults last: all of Elasticsearch away (row 7), the soak (row 12). */
  readonly durations: { readonly esOutageMs: number; readonly soakMs: number };
  /** A writer's client for every api instance of the stack, in instance order. */
  readonly clients: readonly ApiClient[];
  /** Starts a steady write load over the stack's apis, recording every acknowledged write. */
  load(options?: LoadOptions): WriteLoad;
  /** How many acknowledged writes the log does not hold as acknowledged (same version, same change). */
  checkNothingLost(acked: readonly AckedWrite[]): Promise<number>;
  /** Waits for lag 0, then verifies every projection plan by plan; false (with `notes` saying why) on any difference. */
  converged(): Promise<boolean>;
  /** Milliseconds from `since` until a probe write is acknowledged and every projection's checkpoint passed it. */
  recovered(since: number): Promise<number>;
  /** Lines explaining the last failed check (mismatches), for the row's detail. */
  readonly notes: string[];
  log(line: string): void;
}
