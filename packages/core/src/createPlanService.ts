import { decidePlanChange, type PatchFormat, type PlanCommand, type PlanDecision } from './decidePlanChange.js';
import type { Remembering } from './checkedParts.js';
import { DomainError, IdempotencyKeyReused, PlanDeleted, PlanExists, PlanNotFound, VersionConflict, WriteOutcomeUnknown, WriteUnconfirmed, type Violation } from './errors.js';
import { isTransientError } from './isTransientError.js';
import { evaluatePreconditions, type Preconditions } from './evaluatePreconditions.js';
import { isJsonObject, type PlanDocument } from './planDocument.js';
import { EVENT_SCHEMA_VERSION, type EventActor, type PlanEvent } from './planEvent.js';
import type { AppendRequest, AppendResult, EventLog, IdempotencyClaim, IdempotencyRecord, PlanHead } from './ports/EventLog.js';
import type { PlanRef } from './planRef.js';
import { tenantMayAccess, type Tenant } from './tenancy.js';
import { validatePlan } from './validatePlan.js';

/** Who asks, and on behalf of which request: recorded on every event. */
export interface WriteContext extends Tenant {
  readonly actor: EventActor;
  /** Why the change is made, as the client said it (already checked by `checkChangeReason`). */
  readonly reason?: string;
  readonly requestId: string;
  /** The client's Idempotency-Key and a fingerprint of the request it came with. */
  readonly idempotency?: { readonly key: string; readonly fingerprint: string };
}

/** The conditions a write must meet (If-Match, If-None-Match, If-Unmodified-Since), evaluated against the plan's head. */
export type ExpectedVersion = Preconditions;

export interface WriteResult {
  readonly planId: string;
  readonly org: string;
  /** The plan's version after the write (unchanged when `changed` is false). */
  readonly version: number;
  readonly document: PlanDocument | null;
  /** False when the request changed nothing, so no event was appended. */
  readonly changed: boolean;
  /** True when this answers a retry of an earlier request with the same Idempotency-Key. */
  readonly replayed: boolean;
  /** Where the event landed (partition and log position); for a replay, where the original landed; null when nothing was appended. */
  readonly position: { readonly partition: number; readonly id: string } | null;
}

export interface PlanServiceOptions {
  readonly log: EventLog;
  readonly now: () => Date;
  /** Checks a whole plan document; returns every violation (empty when valid). */
  readonly validate?: (document: unknown, remembering?: Remembering) => Violation[];
  /** How long an Idempotency-Key is remembered (at least 24 hours). */
  readonly idempotencyTtlSeconds?: number;
  /** How often a write with `If-Match: *` re-reads and re-applies when another write moved the plan meanwhile. */
  readonly maxRaceRetries?: number;
}

/**
 * Plans are addressed by `PlanRef` (org and objectId): a tenant reaches only its own org's plans
 * (admins any org they name); another org's plan with the same objectId is another plan.
 */
export interface PlanService {
  /** Creates the plan the document names: its `_org` and `objectId`. */
  create(document: unknown, context: WriteContext): Promise<WriteResult>;
  replace(plan: PlanRef, document: unknown, expected: ExpectedVersion, context: WriteContext): Promise<WriteResult>;
  patch(plan: PlanRef, format: PatchFormat, body: unknown, expected: ExpectedVersion, context: WriteContext): Promise<WriteResult>;
  remove(plan: PlanRef, expected: ExpectedVersion, context: WriteContext): Promise<WriteResult>;
  /** The current head of a live plan; PlanDeleted for a deleted one; PlanNotFound for unknown or other orgs' plans. */
  get(plan: PlanRef, tenant: Tenant): Promise<PlanHead & { document: PlanDocument }>;
}

/**
 * Whose Idempotency-Keys these are: the subject, and the client when it is another than the
 * subject. A caller whose client and subject are the same (every client-credentials token) keeps
 * the scope it had when the actor was the subject alone, so keys claimed before stay claimed.
 */
function idempotencyScope({ clientId, subject = clientId }: EventActor): string[] {
  return clientId === subject ? [subject] : [subject, clientId];
}

export function createPlanService({ log, now, validate = validatePlan, idempotencyTtlSeconds = 86_400, maxRaceRetries = 30 }: PlanServiceOptions): PlanService {
  const claimOf = (context: WriteContext): IdempotencyClaim | undefined =>
    context.idempotency && {
      key: JSON.stringify([...idempotencyScope(context.actor), context.idempotency.key]),
      fingerprint: context.idempotency.fingerprint,
      ttlSeconds: idempotencyTtlSeconds,
    };

  const replay = async (plan: PlanRef, record: IdempotencyRecord, context: WriteContext): Promise<WriteResult> => {
    if (record.fingerprint !== context.idempotency?.fingerprint) throw new IdempotencyKeyReused();
    const { document } = await log.stateAt(plan, record.version);
    return { planId: plan.planId, org: plan.org, version: record.version, document, changed: true, replayed: true, position: { partition: record.partition, id: record.position } };
  };

  /**
   * Every write: idempotency, tenancy, precondition, decision, atomic append. An Idempotency-Key
   * is claimed for the caller before anything else, whatever plan the request names, so a key
   * reused for another request is refused even when that request names another plan; the
   * outcome itself is recorded in the plan's log in the same atomic step as its event.
   */
  const write = async (plan: PlanRef, command: PlanCommand, expected: ExpectedVersion | 'absent', context: WriteContext): Promise<WriteResult> => {
    // Another org's plan is never read, let alone changed: for this caller it does not exist.
    if (expected !== 'absent' && !tenantMayAccess(context, plan.org)) throw new PlanNotFound(plan.planId);
    const claim = claimOf(context);
    if (claim) {
      const owner = await log.claimIdempotencyKey(claim.key, { fingerprint: claim.fingerprint, plan }, claim.ttlSeconds);
      if (owner && owner.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReused();
      const earlier = owner ? await log.idempotencyRecord(owner.plan, claim.key) : null;
      if (earlier) return replay(owner!.plan, earlier, context);
      // Else this request is new, or the same request again after an attempt that never appended.
    }
    try {
      return await decideAndAppend(plan, command, expected, context, claim);
    } catch (error) {
      // An unknown outcome (no reply, or too few replicas confirmed) keeps the key: the write may have landed, and a retry must find it.
      if (!claim || !(error instanceof DomainError) || error instanceof WriteOutcomeUnknown || error instanceof WriteUnconfirmed) throw error;
      // A concurrent request with the same key may have won the race between our check and now.
      const winner = await log.idempotencyRecord(plan, claim.key);
      if (winner) return replay(plan, winner, context);
      // The request changed nothing: the key is free for a corrected request.
      await log.releaseIdempotencyKey(claim.key, claim.fingerprint);
      throw error;
    }
  };

  const decideAndAppend = async (
    plan: PlanRef,
    command: PlanCommand,
    expected: ExpectedVersion | 'absent',
    context: WriteContext,
    claim: IdempotencyClaim | undefined,
  ): Promise<WriteResult> => {
    for (let attempt = 0; ; attempt += 1) {
      // A create first assumes the plan is absent (the common case) and lets the append's version
      // check say otherwise: one round trip instead of two. On a conflict it reads the head and
      // decides again (a live plan is PlanExists; a deleted one is created at its next version).
      const assumeAbsent = command.kind === 'create' && attempt === 0;
      const head = assumeAbsent ? null : await log.head(plan);
      const live = head?.document ?? null;
      if (expected !== 'absent') {
        if (live === null) throw new PlanNotFound(plan.planId);
        evaluatePreconditions({ planId: plan.planId, exists: true, version: head?.version ?? 0, at: head?.at ?? null }, expected);
      }
      const decision = decidePlanChange(live, command, { tenant: context, validate });
      if (decision === null) return { planId: plan.planId, org: plan.org, version: head?.version ?? 0, document: live, changed: false, replayed: false, position: null };
      const event = eventOf(plan, (head?.version ?? 0) + 1, decision, head, context);
      try {
        const result = await appendOrUnknown({ event, document: decision.document, ...(claim ? { idempotency: claim } : {}) });
        if (result.kind === 'replayed') return replay(plan, result.record, context);
        return { planId: plan.planId, org: plan.org, version: event.version, document: decision.document, changed: true, replayed: false, position: { partition: result.partition, id: result.position } };
      } catch (error) {
        if (!(error instanceof VersionConflict)) throw error;
        if (assumeAbsent) continue;
        if (command.kind === 'create') throw new PlanExists(plan.planId);
        // `If-Match: *` asks for whatever the current version is: another write winning the race
        // between our read and our append is no reason to refuse; decide again on the new head.
        if (expected === 'absent' || expected.ifMatch !== '*' || attempt >= maxRaceRetries) throw error;
        // A little random wait spreads many racing writers apart, so each round lets most through.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
      }
    }
  };

  /**
   * The append, where a dependency failure (a timeout, a connection lost mid-command) is no
   * refusal: the script may have run. Such a failure says the outcome is unknown, never that
   * the write failed.
   */
  const appendOrUnknown = async (request: AppendRequest): Promise<AppendResult> => {
    try {
      return await log.append(request);
    } catch (error) {
      if (isTransientError(error)) throw new WriteOutcomeUnknown('The log did not confirm the append in time', error);
      throw error;
    }
  };

  const eventOf = (plan: PlanRef, version: number, decision: PlanDecision, head: PlanHead | null, context: WriteContext): PlanEvent => {
    // Event times never go backwards within a plan, so time travel by date is well defined.
    const at = new Date(Math.max(now().getTime(), head ? Date.parse(head.at) : 0)).toISOString();
    return {
      planId: plan.planId,
      version,
      type: decision.type,
      patch: decision.patch,
      actor: context.actor,
      ...(context.reason ? { reason: context.reason } : {}),
      org: plan.org,
      at,
      requestId: context.requestId,
      ...(context.idempotency ? { idempotencyKey: context.idempotency.key } : {}),
      schemaVersion: EVENT_SCHEMA_VERSION,
    };
  };

  return {
    create: (document, context) => {
      const named = isJsonObject(document) ? document : {};
      const plan = { org: typeof named._org === 'string' ? named._org : (context.org ?? ''), planId: typeof named.objectId === 'string' ? named.objectId : '' };
      return write(plan, { kind: 'create', document }, 'absent', context);
    },
    replace: (plan, document, expected, context) => write(plan, { kind: 'replace', document }, expected, context),
    patch: (plan, format, body, expected, context) => write(plan, { kind: 'patch', format, body }, expected, context),
    remove: (plan, expected, context) => write(plan, { kind: 'delete' }, expected, context),
    async get(plan, tenant) {
      if (!tenantMayAccess(tenant, plan.org)) throw new PlanNotFound(plan.planId);
      const head = await log.head(plan);
      if (!head) throw new PlanNotFound(plan.planId);
      // The head as the log gave it (its document may be parsed only when asked for).
      if (head.documentJson === undefined && !head.document) throw new PlanDeleted(plan.planId, head.version, head.at);
      return head as PlanHead & { readonly document: PlanDocument };
    },
  };
}
