import type { JsonPatch } from './jsonPatch/jsonPatchTypes.js';

export type { JsonPatch, JsonPatchOperation } from './jsonPatch/jsonPatchTypes.js';

export type PlanEventType = 'created' | 'patched' | 'replaced' | 'deleted';

export const PLAN_EVENT_TYPES: readonly PlanEventType[] = ['created', 'patched', 'replaced', 'deleted'];

/**
 * The schema version new events are written with; readers accept every version up to it.
 * 1: `actor` is the token subject as a string. 2: `actor` is an `EventActor`, and `reason` may be set.
 */
export const EVENT_SCHEMA_VERSION = 2;

/** Who made a change, from the verified access token. */
export interface EventActor {
  /** The OAuth 2.0 client: the token's `client_id` (or `azp`), else its `sub`. */
  readonly clientId: string;
  /** The token's `sub`: the person or service the client acted for. */
  readonly subject?: string;
  /** The token's `email` claim, when it carries one. */
  readonly email?: string;
  /** The RFC 8693 `act` claim: who acts on the subject's behalf (the current actor, not the chain). */
  readonly act?: { readonly sub: string; readonly client_id?: string };
}

/**
 * One change of one plan: the RFC 6902 patch that turns version n-1 into version n.
 * A create is the patch from nothing (`add` at the root); a delete has an empty patch.
 */
export interface PlanEvent {
  readonly planId: string;
  readonly version: number;
  readonly type: PlanEventType;
  readonly patch: JsonPatch;
  /** Who made the change. Events of schema version 1 hold the token subject as a string: read it with `actorOf`. */
  readonly actor: EventActor | string;
  /** Why, as the client said it (`X-Change-Reason`); absent when none was given. */
  readonly reason?: string;
  readonly org: string;
  /** ISO 8601 time the change was accepted. */
  readonly at: string;
  readonly requestId: string;
  readonly idempotencyKey?: string;
  readonly schemaVersion: number;
}

/** An event's actor in today's shape: a version-1 string actor is `{ clientId: <that string> }`. */
export function actorOf(event: Pick<PlanEvent, 'actor'>): EventActor {
  return typeof event.actor === 'string' ? { clientId: event.actor } : event.actor;
}
