/** The api's answers as the console reads them (see README: API, Audit trail, Admin operations). */

export type PlanDocument = Record<string, unknown>;

export interface PlanListItem {
  readonly planId: string;
  readonly version: number;
  readonly at: string;
  readonly planType: string;
  readonly org: string;
  readonly href: string;
}

export interface PlanList {
  readonly items: PlanListItem[];
  readonly next: string | null;
}

export interface SearchHit {
  readonly planId: string;
  readonly version: number;
  readonly org: string;
  readonly planType: string;
  readonly creationDate: string | null;
  readonly score: number | null;
  readonly href: string;
}

export interface SearchAnswer {
  readonly total: number;
  readonly items: SearchHit[];
  readonly next: string | null;
  readonly cursor: string | null;
}

/** The actor of an event: an object since the audit trail; older events held the client id as a string. */
export type Actor = string | { readonly clientId: string; readonly subject?: string; readonly email?: string; readonly act?: { readonly sub: string; readonly client_id?: string } };

export interface HistoryEvent {
  readonly version: number;
  readonly type: 'created' | 'patched' | 'replaced' | 'deleted';
  readonly at: string;
  readonly actor: Actor;
  readonly org: string;
  readonly planId?: string;
  readonly requestId: string;
  readonly reason?: string;
  readonly patch: ReadonlyArray<{ op: string; path: string; value?: unknown; from?: string }>;
  /** Readable change lines (audit trail); absent from older apis. */
  readonly changes?: string[];
  /** For a delete: the plan as it was before it. */
  readonly deleted?: PlanDocument;
  /** In the change feed: the event's opaque log position. */
  readonly position?: string;
}

export interface HistoryPage {
  readonly planId: string;
  readonly latest: number;
  readonly events: HistoryEvent[];
  readonly next: string | null;
}

export interface DiffAnswer {
  readonly patch: ReadonlyArray<{ op: string; path: string }>;
  readonly changes: string[];
}

export interface ChangesPage {
  readonly changes: HistoryEvent[];
  readonly next: string | null;
}

export interface PartitionStatus {
  readonly partition: number | string;
  readonly checkpoint: string | null;
  readonly head: string | null;
  readonly lag: number;
}

export interface Job {
  readonly id: string;
  readonly projection: string;
  readonly kind: 'rebuild' | 'verify' | 'repair';
  readonly state: 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
  readonly phase: string;
  readonly eventsDone: number;
  readonly eventsTotal: number;
  readonly eventsPerSecond: number;
  readonly etaSeconds: number | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly result: Record<string, unknown> | null;
  readonly error: string | null;
  readonly href: string;
}

export interface ProjectionStatus {
  readonly name: string;
  readonly target: string;
  readonly eventsApplied: number;
  readonly lag: number;
  readonly partitions: PartitionStatus[];
  readonly deadLetters: number;
  readonly job: Job | null;
}

export interface VerifyResult {
  readonly plans: number;
  readonly counts: { readonly missing: number; readonly extra: number; readonly staleVersion: number; readonly differentContent: number };
  readonly mismatches: ReadonlyArray<{ org: string; planId: string; kind: string; expectedVersion: number | null; actualVersion: number | null; detail: string }>;
}

export interface DeadLetter {
  readonly id: string;
  readonly projection: string;
  readonly partition: number | string;
  readonly org: string;
  readonly planId: string;
  readonly version: number;
  readonly error: string;
  readonly deliveryCount: number;
  readonly deadLetteredAt: string;
  readonly status: 'waiting' | 'retried' | 'discarded';
  readonly discardReason?: string;
  readonly discardedBy?: string;
}
