/**
 * One base error with a stable code. The api maps codes to HTTP statuses in exactly one
 * middleware; nothing else decides what a client sees.
 */
export type ErrorCode =
  | 'PLAN_NOT_FOUND'
  | 'PLAN_DELETED'
  | 'INVALID_CHANGE_REASON'
  | 'PLAN_EXISTS'
  | 'VERSION_CONFLICT'
  | 'SCHEMA_VIOLATION'
  | 'INVALID_PATCH'
  | 'INVALID_PARAMETER'
  | 'INVALID_CURSOR'
  | 'OBJECT_NOT_FOUND'
  | 'VERSION_OUT_OF_RANGE'
  | 'PATCH_FAILED'
  | 'FORBIDDEN_KEY'
  | 'FORBIDDEN_ORG'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INVALID_JSON'
  | 'LIMIT_EXCEEDED'
  | 'JOB_RUNNING'
  | 'JOB_NOT_FOUND'
  | 'PROJECTION_NOT_FOUND'
  | 'DEAD_LETTER_NOT_FOUND'
  | 'WRITE_OUTCOME_UNKNOWN'
  | 'WRITE_UNCONFIRMED';

export interface Violation {
  /** JSON Pointer of the offending value. */
  readonly pointer: string;
  readonly message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly violations: readonly Violation[];
  /** Extra members a problem answer carries (RFC 9457 extension members), e.g. a deleted plan's version. */
  readonly extensions: Readonly<Record<string, string | number>>;

  constructor(code: ErrorCode, message: string, violations: readonly Violation[] = [], extensions: Readonly<Record<string, string | number>> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.violations = violations;
    this.extensions = extensions;
  }
}

export class PlanNotFound extends DomainError {
  constructor(planId: string, detail = `No plan with objectId '${planId}'.`) {
    super('PLAN_NOT_FOUND', detail);
  }
}

/** The plan existed and was deleted: the delete's version and time go with the answer (410). */
export class PlanDeleted extends DomainError {
  constructor(planId: string, version: number, deletedAt: string) {
    super('PLAN_DELETED', `Plan '${planId}' was deleted at version ${version} (${deletedAt}); its history stays readable.`, [], { version, deletedAt });
  }
}

/** An `X-Change-Reason` that is not UTF-8, too long, or holds control characters. */
export class InvalidChangeReason extends DomainError {
  constructor(why: string) {
    super('INVALID_CHANGE_REASON', `X-Change-Reason ${why}.`, [{ pointer: '', message: why }]);
  }
}

export class PlanExists extends DomainError {
  constructor(planId: string) {
    super('PLAN_EXISTS', `A plan with objectId '${planId}' already exists.`);
  }
}

export class VersionConflict extends DomainError {
  readonly currentVersion: number;

  constructor(planId: string, expected: number, current: number, detail = `Plan '${planId}' is at version ${current}, not ${expected}.`) {
    super('VERSION_CONFLICT', detail);
    this.currentVersion = current;
  }
}

export class SchemaViolation extends DomainError {
  constructor(violations: readonly Violation[]) {
    super('SCHEMA_VIOLATION', 'The document does not match the plan schema.', violations);
  }
}

/** A query parameter (or search body member) that is unknown, repeated or malformed; one violation per parameter. */
export class InvalidParameter extends DomainError {
  constructor(violations: readonly Violation[]) {
    super('INVALID_PARAMETER', violations.map((v) => `${v.pointer.slice(1) || 'parameters'}: ${v.message}`).join(' '), violations);
  }
}

/** A paging cursor this api did not give out (or not for this listing). */
export class InvalidCursor extends DomainError {
  constructor(detail = 'The cursor is not one this api gave out; start again without a cursor.') {
    super('INVALID_CURSOR', detail, [{ pointer: '/cursor', message: 'is not a cursor from a previous page of this listing' }]);
  }
}

/** A plan exists but holds no object with this objectId. */
export class ObjectNotFound extends DomainError {
  constructor(planId: string, objectId: string) {
    super('OBJECT_NOT_FOUND', `Plan '${planId}' has no object '${objectId}'.`);
  }
}

/** A version parameter outside the versions a plan has. */
export class VersionOutOfRange extends DomainError {
  constructor(planId: string, name: string, version: number, min: number, latest: number) {
    super('VERSION_OUT_OF_RANGE', `${name}=${version} is out of range: plan '${planId}' has versions ${min}…${latest}.`, [{ pointer: `/${name}`, message: `must be ${min}…${latest}` }]);
  }
}

export class ForbiddenOrg extends DomainError {
  constructor(org: string) {
    super('FORBIDDEN_ORG', `This token may not act for the org '${org}'.`);
  }
}

export class IdempotencyKeyReused extends DomainError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request.');
  }
}

/** An admin job (rebuild, verify, repair) of a projection is already running; one at a time per projection. */
export class JobRunning extends DomainError {
  readonly jobId: string;

  constructor(projection: string, jobId: string) {
    super('JOB_RUNNING', `Projection '${projection}' already has a running job (${jobId}); wait for it or cancel it.`);
    this.jobId = jobId;
  }
}

export class JobNotFound extends DomainError {
  constructor(id: string) {
    super('JOB_NOT_FOUND', `No job with id '${id}'.`);
  }
}

export class ProjectionNotFound extends DomainError {
  constructor(name: string, known: readonly string[]) {
    super('PROJECTION_NOT_FOUND', `No projection named '${name}' (known: ${known.join(', ')}).`);
  }
}

export class DeadLetterNotFound extends DomainError {
  constructor(id: string) {
    super('DEAD_LETTER_NOT_FOUND', `No dead letter with id '${id}'.`);
  }
}

/**
 * The log did not answer a write in time (a timeout, a connection lost with the append in flight,
 * the request's deadline): the event may or may not have been appended, and may still land. Never
 * a refusal: the client retries with the same Idempotency-Key, which either replays the write
 * that landed or makes it once.
 */
export class WriteOutcomeUnknown extends DomainError {
  /** What went wrong underneath (for the log, never for the client). */
  override readonly cause: unknown;

  constructor(why: string, cause?: unknown) {
    super('WRITE_OUTCOME_UNKNOWN', `${why}: the write may or may not have been applied. Retry it with the same Idempotency-Key (a retry then applies it at most once), or read the plan to see whether it landed.`);
    this.cause = cause;
  }
}

/**
 * The log's master took a write, but fewer replicas than required confirmed it in time: a
 * failover now could lose it, so it is not acknowledged. It may yet be kept: the outcome is
 * unknown, and a retry with the same Idempotency-Key either finds it or makes it.
 */
export class WriteUnconfirmed extends DomainError {
  constructor(required: number, confirmed: number) {
    super(
      'WRITE_UNCONFIRMED',
      `The write reached the log but ${confirmed} of the ${required} replica(s) it needs confirmed it in time, so its outcome is unknown. Retry with the same Idempotency-Key: the retry answers with this write if it was kept, or makes it.`,
    );
  }
}
