import { ForbiddenOrg, PlanExists, PlanNotFound, SchemaViolation, type Violation } from './errors.js';
import { assertNoForbiddenKeys } from './forbiddenKeys.js';
import type { PlanDocument } from './planDocument.js';
import { validatePlan } from './validatePlan.js';
import { EVENT_SCHEMA_VERSION, type PlanEvent, type PlanEventType, type JsonPatch } from './planEvent.js';
import type { EventLog, PlanHead } from './ports/EventLog.js';
import { findForeignOrgs, tenantMayAccess, type Tenant } from './tenancy.js';

/** Who asks, and on behalf of which request: recorded on every event. */
export interface WriteContext extends Tenant {
  readonly actor: string;
  readonly requestId: string;
  readonly idempotencyKey?: string;
}

export interface WriteResult {
  readonly planId: string;
  readonly version: number;
  readonly document: PlanDocument | null;
  /** Position of the event in its partition's log; clients may wait on it. */
  readonly position: string;
  readonly partition: number;
}

/** One change to append: the event's content and the plan as it is after it. */
interface Change {
  readonly type: PlanEventType;
  readonly planId: string;
  readonly version: number;
  readonly patch: JsonPatch;
  readonly document: PlanDocument | null;
  /** The plan's org, recorded on the event. */
  readonly org: string;
}

export interface PlanServiceOptions {
  readonly log: EventLog;
  readonly now: () => Date;
  /** Checks a whole plan document; returns every violation (empty when valid). */
  readonly validate?: (document: unknown) => Violation[];
}

export interface PlanService {
  create(document: unknown, context: WriteContext): Promise<WriteResult>;
  /** The current head of a live plan; PlanNotFound for unknown, deleted or other orgs' plans. */
  get(planId: string, tenant: Tenant): Promise<PlanHead & { document: PlanDocument }>;
}

export function createPlanService({ log, now, validate = validatePlan }: PlanServiceOptions): PlanService {
  const append = async ({ type, planId, version, patch, document, org }: Change, context: WriteContext): Promise<WriteResult> => {
    const event: PlanEvent = {
      planId,
      version,
      type,
      patch,
      actor: context.actor,
      org,
      at: now().toISOString(),
      requestId: context.requestId,
      ...(context.idempotencyKey === undefined ? {} : { idempotencyKey: context.idempotencyKey }),
      schemaVersion: EVENT_SCHEMA_VERSION,
    };
    const { position, partition } = await log.append({ event, document });
    return { planId, version, document, position, partition };
  };

  return {
    async create(input, context) {
      assertNoForbiddenKeys(input);
      const violations = validate(input);
      if (violations.length > 0) throw new SchemaViolation(violations);
      const document = input as PlanDocument;
      if (!tenantMayAccess(context, document._org)) throw new ForbiddenOrg(document._org);
      const foreign = findForeignOrgs(document, document._org);
      if (foreign.length > 0) throw new SchemaViolation(foreign);
      const head = await log.head(document.objectId);
      if (head?.document) throw new PlanExists(document.objectId);
      const version = (head?.version ?? 0) + 1;
      return append({ type: 'created', planId: document.objectId, version, patch: [{ op: 'add', path: '', value: document }], document, org: document._org }, context);
    },

    async get(planId, tenant) {
      const head = await log.head(planId);
      if (!head?.document || !tenantMayAccess(tenant, head.document._org)) throw new PlanNotFound(planId);
      return { ...head, document: head.document };
    },
  };
}
