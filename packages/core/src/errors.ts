/**
 * One base error with a stable code. The api maps codes to HTTP statuses in exactly one
 * middleware; nothing else decides what a client sees.
 */
export type ErrorCode =
  | 'PLAN_NOT_FOUND'
  | 'PLAN_EXISTS'
  | 'VERSION_CONFLICT'
  | 'SCHEMA_VIOLATION'
  | 'INVALID_PATCH'
  | 'PATCH_FAILED'
  | 'FORBIDDEN_KEY'
  | 'FORBIDDEN_ORG'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INVALID_JSON'
  | 'LIMIT_EXCEEDED';

export interface Violation {
  /** JSON Pointer of the offending value. */
  readonly pointer: string;
  readonly message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly violations: readonly Violation[];

  constructor(code: ErrorCode, message: string, violations: readonly Violation[] = []) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.violations = violations;
  }
}

export class PlanNotFound extends DomainError {
  constructor(planId: string, detail = `No plan with objectId '${planId}'.`) {
    super('PLAN_NOT_FOUND', detail);
  }
}

export class PlanExists extends DomainError {
  constructor(planId: string) {
    super('PLAN_EXISTS', `A plan with objectId '${planId}' already exists.`);
  }
}

export class VersionConflict extends DomainError {
  readonly currentVersion: number;

  constructor(planId: string, expected: number, current: number) {
    super('VERSION_CONFLICT', `Plan '${planId}' is at version ${current}, not ${expected}.`);
    this.currentVersion = current;
  }
}

export class SchemaViolation extends DomainError {
  constructor(violations: readonly Violation[]) {
    super('SCHEMA_VIOLATION', 'The document does not match the plan schema.', violations);
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
