import type { PlanRef } from '../planRef.js';

/** The version of an object a temporal index holds open: since which plan version, and when (epoch ms). */
export interface OpenVersion {
  readonly fromVersion: number;
  readonly validFrom: number;
}

/** What one temporal index holds of a plan: up to which version, that version's time, and each object's open version. */
export interface HeldTemporalState {
  readonly version: number;
  /** Epoch ms of the version's event (0 before any). */
  readonly at: number;
  readonly open: ReadonlyMap<string, OpenVersion>;
}

export interface TemporalStateUpdate {
  readonly version: number;
  readonly at: number;
  /** Objects whose open version is new. */
  readonly opened: ReadonlyMap<string, OpenVersion>;
  /** Objects with no open version any more. */
  readonly closed: readonly string[];
  /** Every open version after the change, when the writer has them: lets the state keep them without reading them back. */
  readonly open?: ReadonlyMap<string, OpenVersion>;
}

/** A temporal index's record of what it holds per plan (so a change closes versions without reading the index). */
export interface TemporalState {
  get(plan: PlanRef): Promise<HeldTemporalState>;
  /** Records the state after a change, unless a newer version is already recorded. */
  set(plan: PlanRef, update: TemporalStateUpdate): Promise<void>;
}
