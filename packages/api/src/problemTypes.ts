import type { ErrorCode } from '@planledger/core';

export interface ProblemType {
  readonly status: number;
  readonly title: string;
  /** Relative URI naming the problem type; resolves against the api's own documentation. */
  readonly type: string;
}

const problem = (status: number, slug: string, title: string): ProblemType => ({ status, title, type: `/problems/${slug}` });

/** The only place domain error codes become HTTP statuses. */
export const PROBLEM_TYPES: Record<ErrorCode, ProblemType> = {
  PLAN_NOT_FOUND: problem(404, 'plan-not-found', 'Plan not found'),
  PLAN_DELETED: problem(410, 'plan-deleted', 'Plan deleted'),
  INVALID_CHANGE_REASON: problem(400, 'invalid-change-reason', 'Invalid change reason'),
  PLAN_EXISTS: problem(409, 'plan-exists', 'Plan already exists'),
  VERSION_CONFLICT: problem(412, 'version-conflict', 'Precondition failed'),
  SCHEMA_VIOLATION: problem(400, 'schema-violation', 'Invalid plan document'),
  INVALID_PATCH: problem(400, 'invalid-patch', 'Malformed JSON Patch'),
  INVALID_PARAMETER: problem(400, 'invalid-parameter', 'Invalid parameter'),
  INVALID_CURSOR: problem(400, 'invalid-cursor', 'Invalid cursor'),
  OBJECT_NOT_FOUND: problem(404, 'object-not-found', 'Object not found'),
  VERSION_OUT_OF_RANGE: problem(400, 'version-out-of-range', 'Version out of range'),
  PATCH_FAILED: problem(422, 'patch-failed', 'Patch cannot be applied'),
  FORBIDDEN_KEY: problem(400, 'forbidden-key', 'Forbidden key'),
  FORBIDDEN_ORG: problem(403, 'forbidden-org', 'Forbidden org'),
  IDEMPOTENCY_KEY_REUSED: problem(422, 'idempotency-key-reused', 'Idempotency-Key reused'),
  INVALID_JSON: problem(400, 'invalid-json', 'Invalid JSON body'),
  LIMIT_EXCEEDED: problem(400, 'limit-exceeded', 'Request limit exceeded'),
  JOB_RUNNING: problem(409, 'job-running', 'A job of this projection is running'),
  JOB_NOT_FOUND: problem(404, 'job-not-found', 'Job not found'),
  PROJECTION_NOT_FOUND: problem(404, 'projection-not-found', 'Projection not found'),
  DEAD_LETTER_NOT_FOUND: problem(404, 'dead-letter-not-found', 'Dead letter not found'),
  WRITE_OUTCOME_UNKNOWN: problem(503, 'write-outcome-unknown', 'Write outcome unknown'),
  WRITE_UNCONFIRMED: problem(503, 'write-unconfirmed', 'Write outcome unknown'),
};
