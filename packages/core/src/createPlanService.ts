import { decidePlanChange, type PatchFormat, type PlanCommand, type PlanDecision } from './decidePlanChange.js';
import { DomainError, IdempotencyKeyReused, PlanExists, PlanNotFound, VersionConflict, type Violation } from './errors.js';
import { evaluatePreconditions, type Preconditions } from './evaluatePreconditions.js';
import { isJsonObject, type PlanDocument } from './planDocument.js';
import { EVENT_SCHEMA_VERSION, type PlanEvent } from './planEvent.js';
import type { EventLog, IdempotencyClaim, IdempotencyRecord, PlanHead } from './ports/EventLog.js';
import { tenantMayAccess, type Tenant } from './tenancy.js';
import { validatePlan } from './validatePlan.js';

/** Who asks, and on behalf of which request: recorded on every event. */
export interface WriteContext extends Tenant {
  readonly actor: string;
  readonly requestId: string;
  /** The client's Idempotency-Key and a fingerprint of the request it came with. */
  readonly idempotency?: { readonly key: string; readonly fingerprint: string };
}

/** The conditions a write must meet (If-Match, If-None-Match, If-Unmodified-Since), evaluated against the plan's head. */
export type ExpectedVersion = Preconditions;

export interface WriteResult {
  readonly planId: string;
  /** The plan's version after the write (unchanged when `changed` is false). */
  readonly version: number;
  readonly document: PlanDocument | null;
  /** False when the request changed nothing, so no event was appended. */
  readonly changed: boolean;
  /** True when this answers a retry of an earlier request with the same Idempotency-Key. */
  readonly replayed: boolean;
  /** Where the event landed (partition and log position; for a replay, the original write's); null when nothing was appended. */
  readonly position: { readonly partition: number; readonly id: string } | null;
}

export interface PlanServiceOptions {
  readonly log: EventLog;
  readonly now: () => Date;
  /** Checks a whole plan document; returns every violation (empty when valid). */
  readonly validate?: (document: unknown) => Violation[];
  /** How long an Idempotency-Key is remembered (at least 24 hours). */
  readonly idempotencyTtlSeconds?: number;
}

export interface PlanService {
  create(document: unknown, context: WriteContext): Promise<WriteResult>;
  replace(planId: string, document: unknown, expected: ExpectedVersion, context: WriteContext): Promise<WriteResult>;
  patch(planId: string, format: PatchFormat, body: unknown, expected: ExpectedVersion, context: WriteContext): Promise<WriteResult>;
  remove(planId: string, expected: ExpectedVersion, context: WriteContext): Promise<WriteResult>;
  /** The current head of a live plan; PlanNotFound for unknown, deleted or other orgs' plans. */
  get(planId: string, tenant: Tenant): Promise<PlanHead & { document: PlanDocument }>;
}

export function createPlanService({ log, now, validate = validatePlan, idempotencyTtlSeconds = 86_400 }: PlanServiceOptions): PlanService {
  const claimOf = (context: WriteContext): IdempotencyClaim | undefined =>
    context.idempotency && {
      key: JSON.stringify([context.actor, context.idempotency.key]),
      fingerprint: context.idempotency.fingerprint,
      ttlSeconds: idempotencyTtlSeconds,
    };

  const replay = async (planId: string, record: IdempotencyRecord, context: WriteContext): Promise<WriteResult> => {
    if (record.fingerprint !== context.idempotency?.fingerprint) throw new IdempotencyKeyReused();
    const { document } = await log.stateAt(planId, record.version);
    return { planId, version: record.version, document, changed: true, replayed: true, position: { partition: record.partition, id: record.position } };
  };

  /** Every write: idempotency, tenancy, precondition, decision, atomic append. */
  const write = async (planId: string, command: PlanCommand, expected: ExpectedVersion | 'absent', context: WriteContext): Promise<WriteResult> => {
    const claim = claimOf(context);
    const earlier = claim ? await log.idempotencyRecord(planId, claim.key) : null;
    if (earlier) return replay(planId, earlier, context);
    try {
      return await decideAndAppend(planId, command, expected, context, claim);
    } catch (error) {
      // A concurrent request with the same key may have won the race between our check and now.
      const winner = claim && error instanceof DomainError ? await log.idempotencyRecord(planId, claim.key) : null;
      if (winner) return replay(planId, winner, context);
      throw error;
    }
  };

  const decideAndAppend = async (
    planId: string,
    command: PlanCommand,
    expected: ExpectedVersion | 'absent',
    context: WriteContext,
    claim: IdempotencyClaim | undefined,
  ): Promise<WriteResult> => {
    const head = await log.head(planId);
    const live = head?.document ?? null;
    if (expected !== 'absent') {
      if (live === null || !tenantMayAccess(context, live._org)) throw new PlanNotFound(planId);
      evaluatePreconditions({ planId, exists: true, version: head?.version ?? 0, at: head?.at ?? null }, expected);
    }
    const decision = decidePlanChange(live, command, { tenant: context, validate });
    if (decision === null) return { planId, version: head?.version ?? 0, document: live, changed: false, replayed: false, position: null };
    const event = eventOf(planId, (head?.version ?? 0) + 1, decision, head, context);
    try {
      const result = await log.append({ event, document: decision.document, ...(claim ? { idempotency: claim } : {}) });
      if (result.kind === 'replayed') return replay(planId, result.record, context);
      return { planId, version: event.version, document: decision.document, changed: true, replayed: false, position: { partition: result.partition, id: result.position } };
    } catch (error) {
      if (error instanceof VersionConflict && command.kind === 'create') throw new PlanExists(planId);
      throw error;
    }
  };

  const eventOf = (planId: string, version: number, decision: PlanDecision, head: PlanHead | null, context: WriteContext): PlanEvent => {
    // Event times never go backwards within a plan, so time travel by date is well defined.
    const at = new Date(Math.max(now().getTime(), head ? Date.parse(head.at) : 0)).toISOString();
    return {
      planId,
      version,
      type: decision.type,
      patch: decision.patch,
      actor: context.actor,
      org: decision.document?._org ?? head?.org ?? '',
      at,
      requestId: context.requestId,
      ...(context.idempotency ? { idempotencyKey: context.idempotency.key } : {}),
      schemaVersion: EVENT_SCHEMA_VERSION,
    };
  };

  return {
    create: (document, context) => {
      const planId = isJsonObject(document) && typeof document.objectId === 'string' ? document.objectId : '';
      return write(planId, { kind: 'create', document }, 'absent', context);
    },
    replace: (planId, document, expected, context) => write(planId, { kind: 'replace', document }, expected, context),
    patch: (planId, format, body, expected, context) => write(planId, { kind: 'patch', format, body }, expected, context),
    remove: (planId, expected, context) => write(planId, { kind: 'delete' }, expected, context),
    async get(planId, tenant) {
      const head = await log.head(planId);
      if (!head?.document || !tenantMayAccess(tenant, head.document._org)) throw new PlanNotFound(planId);
      return { ...head, document: head.document };
    },
  };
}
