import { PROBLEM_TYPES } from '../problemTypes.js';

/** A problem type the api may answer with, by its slug (`/problems/<slug>`). */
export interface ProblemEntry {
  readonly status: number;
  readonly title: string;
  readonly description: string;
}

const http = (status: number, title: string, description: string): [string, ProblemEntry] => [`http-${status}`, { status, title, description }];

/**
 * Every problem type: the domain ones of `PROBLEM_TYPES` (read from it, so a new code is listed
 * the moment it is added there), the ones `problemDetails` writes for HTTP errors, and those the
 * audit-trail contract names before its code lands here (`plan-deleted`,
 * `invalid-change-reason`); once it does, `PROBLEM_TYPES` wins.
 */
export const PROBLEM_CATALOG: Readonly<Record<string, ProblemEntry>> = Object.freeze({
  'plan-deleted': { status: 410, title: 'Plan deleted', description: 'The plan existed and was deleted; `version` is the delete\'s version and `deletedAt` its time.' },
  'invalid-change-reason': { status: 400, title: 'Invalid change reason', description: 'X-Change-Reason is longer than 500 characters or holds control characters.' },
  ...Object.fromEntries(
    Object.values(PROBLEM_TYPES).map((problem) => [problem.type.replace(/^\/problems\//, ''), { status: problem.status, title: problem.title, description: problem.title }]),
  ),
  'write-outcome-unknown': {
    status: 503,
    title: 'Write outcome unknown',
    description: 'The log did not confirm the write within its timeout (Redis unreachable or silent) or the request deadline passed: it may or may not have been applied, and may still land. Retry with the same `Idempotency-Key` after `Retry-After` seconds: the retry replays the write if it landed and makes it once if not.',
  },
  'write-unconfirmed': {
    status: 503,
    title: 'Write outcome unknown',
    description: 'The log took the write but fewer replicas than REDIS_MIN_REPLICA_ACKS confirmed it in time, so a failover could still lose it: it is not acknowledged. Retry after `Retry-After` seconds with the same Idempotency-Key; the retry answers with this write if it was kept, or makes it.',
  },
  'not-found': { status: 404, title: 'Not found', description: 'No route serves this path.' },
  unavailable: { status: 503, title: 'Service unavailable', description: 'A backing service (Redis, Elasticsearch, the identity provider) is unavailable or did not answer within its timeout or the request deadline; nothing was written. Retry after `Retry-After` seconds.' },
  internal: { status: 500, title: 'Internal error', description: 'An unexpected failure, logged with the request id; nothing of it is exposed.' },
  ...Object.fromEntries([
    http(400, 'Bad request', 'A malformed header (If-Match, If-None-Match, Idempotency-Key) or body shape.'),
    http(401, 'Unauthorized', 'No bearer token, or one that fails verification; `WWW-Authenticate` says why.'),
    http(403, 'Forbidden', 'The token lacks the scope this needs; `WWW-Authenticate` names it.'),
    http(413, 'Content too large', 'The body is larger than MAX_BODY_BYTES.'),
    http(414, 'URI too long', 'The query string is longer than MAX_QUERY_LENGTH.'),
    http(415, 'Unsupported media type', 'The body is not sent as one of the media types this operation takes (UTF-8, no content coding).'),
    http(428, 'Precondition required', 'A change to an existing plan needs If-Match.'),
  ]),
});

export const problemUri = (slug: string): string => `/problems/${slug}`;
