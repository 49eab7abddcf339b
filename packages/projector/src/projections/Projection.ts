import type { Client } from '@elastic/elasticsearch';
import type { RedisClient } from '@planledger/core/redis';
import type { EventLog, PlanHead, PlanRef, ProjectionTarget } from '@planledger/core';
import type { RedisKeys } from '@planledger/core/redis';
import type { BulkBatching } from '@planledger/core/elasticsearch';

/** What every projection is built from: the services it writes to. */
export interface ProjectionResources {
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  readonly es: Client;
  /** The alias of the search index. */
  readonly alias: string;
  /** Replicas of the indices it creates (ES_REPLICAS; default 0). */
  readonly replicas?: number;
}

export interface LiveTargetOptions {
  /** How the target batches its writes, where it batches: Elasticsearch bulk requests, of a batcher the live targets share or of their own. */
  readonly bulk?: BulkBatching;
}

/** A fresh copy of a projection's target, filled by a rebuild while readers keep using the live one. */
export interface Generation {
  readonly target: ProjectionTarget;
  /** What operators see (the index name, the generation id). */
  readonly name: string;
  /** Switches readers and live writers to this generation; returns the one it replaces. */
  activate(): Promise<string | null>;
  /** Removes the generation `activate` replaced, once no live write can reach it. */
  dropOld(replaced: string | null): Promise<void>;
  /** Removes this generation itself (a rebuild cancelled before `activate`); readers never saw it. */
  drop(): Promise<void>;
}

export type MismatchKind = 'missing' | 'extra' | 'staleVersion' | 'differentContent';

/** One difference between a projection's target and the fold of the log, for one plan. */
export interface Mismatch {
  readonly org: string;
  readonly planId: string;
  readonly kind: MismatchKind;
  /** The plan's version in the log (null: the plan does not exist). */
  readonly expectedVersion: number | null;
  /** The version the target holds (null: it holds nothing). */
  readonly actualVersion: number | null;
  readonly detail: string;
}

export interface VerifyProgress {
  readonly signal?: AbortSignal;
  /** Told after each plan compared. */
  readonly onPlan?: () => void;
}

/**
 * A projection, whole: its name (which names its queues, state keys and checkpoints), its live
 * target, a fresh generation for a rebuild, and how to check it against the fold of the log.
 * The registry (`projections/index.ts`) lists them; everything else iterates the registry.
 */
export interface Projection {
  readonly name: string;
  /** Former names still accepted on the command line (with a warning). */
  readonly formerNames?: readonly string[];
  /**
   * After a rebuild activates a generation, how long a live writer may still start a write on the
   * old one. Writes already started then are of events in the log, which the rebuild's catch-up
   * pass reads after this wait; writes started later must reach the new generation.
   */
  readonly settleMs: number;
  /** Whether the projection holds deleted plans too (their past): then `verify` is given their heads as well. */
  readonly keepsDeletedPlans?: boolean;
  liveTarget(resources: ProjectionResources, options?: LiveTargetOptions): ProjectionTarget;
  /** Makes sure the live target exists (an index behind its alias), so readers find it before the first write; safe from several processes. */
  ensureLive?(resources: ProjectionResources): Promise<void>;
  /** What the live target is now, as operators name it (the index behind the alias, the active generation). */
  currentTarget(resources: ProjectionResources): Promise<string>;
  newGeneration(resources: ProjectionResources, stamp: string): Promise<Generation>;
  /** Every difference between the live target and `live` (the heads of every existing plan, folded from the log), and whatever the target holds for plans not in it. */
  verify(resources: ProjectionResources, live: readonly PlanHead[], progress?: VerifyProgress): Promise<Mismatch[]>;
  /**
   * Writes one plan's folded state (`head`; null or a null document: the plan must hold nothing)
   * into the live target, under the same version guards the live projector writes with, so it is
   * safe while the projector keeps writing.
   */
  repair(resources: ProjectionResources, plan: PlanRef, head: PlanHead | null, log: EventLog): Promise<void>;
}
