import type { JsonPatch } from './jsonPatch/jsonPatchTypes.js';

export type { JsonPatch, JsonPatchOperation } from './jsonPatch/jsonPatchTypes.js';

export type PlanEventType = 'created' | 'patched' | 'replaced' | 'deleted';

/** The only schema version events are written with today; readers accept every version up to it. */
export const EVENT_SCHEMA_VERSION = 1;

/**
 * One change of one plan: the RFC 6902 patch that turns version n-1 into version n.
 * A create is the patch from nothing (`add` at the root); a delete has an empty patch.
 */
export interface PlanEvent {
  readonly planId: string;
  readonly version: number;
  readonly type: PlanEventType;
  readonly patch: JsonPatch;
  /** Subject of the token that made the change. */
  readonly actor: string;
  readonly org: string;
  /** ISO 8601 time the change was accepted. */
  readonly at: string;
  readonly requestId: string;
  readonly idempotencyKey?: string;
  readonly schemaVersion: number;
}
