import type { HeaderObject, JsonSchema, ParameterObject, ResponseObject } from './openApiTypes.js';
import { PROBLEM_CATALOG, problemUri } from './problemCatalog.js';

/** `#/components/<kind>/<name>` */
export const ref = (kind: 'schemas' | 'parameters' | 'headers', name: string) => ({ $ref: `#/components/${kind}/${name}` });
export const schemaRef = (name: string): JsonSchema => ref('schemas', name);

export const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

const VIOLATION: JsonSchema = {
  type: 'object',
  description: 'One reason the request was refused: where (a JSON Pointer into the body or, for a parameter, `/<name>`) and what.',
  required: ['pointer', 'message'],
  properties: { pointer: { type: 'string' }, message: { type: 'string' } },
};

/** Schemas every route module may use by reference. */
export const SHARED_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details. `type` is a relative URI: one of the types listed in this document\'s description.',
    required: ['type', 'title', 'status'],
    properties: {
      type: { type: 'string', enum: Object.keys(PROBLEM_CATALOG).map(problemUri) },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string' },
      instance: { type: 'string', description: 'The path of the request.' },
      requestId: { type: 'string', description: 'The X-Request-Id of the request.' },
      violations: { type: 'array', items: VIOLATION },
      version: { type: 'integer', description: '`plan-deleted` only: the version of the delete.' },
      deletedAt: { type: 'string', format: 'date-time', description: '`plan-deleted` only: when the plan was deleted.' },
    },
  },
  Violation: VIOLATION,
  JsonPatch: {
    type: 'array',
    description: 'An RFC 6902 JSON Patch (at most MAX_PATCH_OPERATIONS operations).',
    items: {
      type: 'object',
      description: 'One operation; members an operation does not define are ignored (RFC 6902 §4).',
      required: ['op', 'path'],
      properties: {
        op: { enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
        path: { type: 'string', description: 'An RFC 6901 JSON Pointer.' },
        from: { description: 'move and copy: an RFC 6901 JSON Pointer.' },
        value: {},
      },
      allOf: [
        { if: { properties: { op: { enum: ['move', 'copy'] } } }, then: { required: ['from'], properties: { from: { type: 'string' } } } },
        { if: { properties: { op: { enum: ['add', 'replace', 'test'] } } }, then: { required: ['value'] } },
      ],
    },
  },
  Actor: {
    type: 'object',
    description: 'Who made a change, from the access token: the client, and the person or subject behind it where the token names one (RFC 8693 `act` for delegation).',
    required: ['clientId'],
    properties: {
      clientId: { type: 'string', description: '`client_id` (or `azp`) of the token.' },
      subject: { type: 'string', description: '`sub` of the token.' },
      email: { type: 'string' },
      act: { type: 'object', required: ['sub'], properties: { sub: { type: 'string' }, client_id: { type: 'string' } } },
    },
  },
};

const TOKEN_68 = '^[A-Za-z0-9._:-]{1,128}$';

/** Request headers, by reference from operations. */
export const SHARED_PARAMETERS: Readonly<Record<string, ParameterObject>> = {
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    required: true,
    description: 'The ETag last read (`"v3"`), a comma-separated list of them, or `*`: the change applies only if the plan is still at it (412 otherwise, 428 without it).',
    schema: { type: 'string', minLength: 1 },
  },
  IfMatchOnRead: {
    name: 'If-Match',
    in: 'header',
    description: 'The read answers 412 unless the plan is at one of these ETags (or `*`).',
    schema: { type: 'string', minLength: 1 },
  },
  IfMatchOnCreate: {
    name: 'If-Match',
    in: 'header',
    description: 'Never holds on a create (412): send If-None-Match: * or nothing.',
    schema: { type: 'string' },
  },
  IfNoneMatch: {
    name: 'If-None-Match',
    in: 'header',
    description: 'On a read: the ETags the client holds; 304 when the plan is still at one of them. On a create: `*` (always holds).',
    schema: { type: 'string', minLength: 1 },
  },
  IfModifiedSince: {
    name: 'If-Modified-Since',
    in: 'header',
    description: 'An HTTP-date; 304 when the plan has not changed since (ignored when If-None-Match is given, or when the date is invalid).',
    schema: { type: 'string' },
  },
  IfUnmodifiedSince: {
    name: 'If-Unmodified-Since',
    in: 'header',
    description: 'An HTTP-date; the change applies only if the plan has not changed since (412 otherwise).',
    schema: { type: 'string' },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    description: 'Makes a retried write safe: the same key with the same request answers the first result again (`Idempotent-Replayed: true`); with another request it is a 422.',
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
  },
  ChangeReason: {
    name: 'X-Change-Reason',
    in: 'header',
    description: 'Why the change is made, free UTF-8 text of at most 500 characters without control characters (400 `invalid-change-reason` otherwise); stored on the event and shown in history.',
    schema: { type: 'string', maxLength: 500 },
  },
  Prefer: {
    name: 'Prefer',
    in: 'header',
    description: 'RFC 7240. `return=minimal`: answer the change with 204 and its usual headers (`ETag`, `X-Plan-Version`, `X-Consistency-Token`) plus `Preference-Applied: return=minimal`, without the plan in the body: a change of a large plan need not send it all back. `return=representation` (or none): 200 with the plan as stored.',
    schema: { type: 'string' },
  },
  RequestId: {
    name: 'X-Request-Id',
    in: 'header',
    description: 'A request id of 1 to 128 letters, digits, `.`, `_`, `:` or `-` to use instead of a generated one (others are replaced); echoed on the response and recorded on events.',
    schema: { type: 'string' },
  },
};

/** Response headers, by reference from responses. */
export const SHARED_HEADERS: Readonly<Record<string, HeaderObject>> = {
  RequestId: { description: 'The id of this request (the one sent, or a generated UUID); in logs and on the events it wrote.', required: true, schema: { type: 'string', pattern: TOKEN_68 } },
  ETag: { description: 'The strong entity tag of the plan version: `"v<version>"`.', required: true, schema: { type: 'string', pattern: '^"v[0-9]+"$' } },
  PlanVersion: { description: 'The plan version this answer is about.', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
  ConsistencyToken: {
    description: 'Where the write\'s event landed in the log (`<partition>:<position>`); pass it as `consistentWith` to a search to wait until the search sees this write.',
    schema: { type: 'string', pattern: '^[0-9]+:[0-9]+-[0-9]+$' },
  },
  IdempotentReplayed: { description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } },
  Location: { description: 'Where the new resource is.', required: true, schema: { type: 'string', format: 'uri-reference' } },
  PreferenceApplied: { description: 'RFC 7240: `return=minimal` when the answer carries no body because the request preferred it.', schema: { type: 'string', enum: ['return=minimal'] } },
  Link: { description: 'RFC 8288 `<…>; rel="next"` to the next page, when there is one (the same href as the body\'s `next`).', schema: { type: 'string' } },
  LastModified: { description: 'Time of the plan\'s last event, as an HTTP-date.', schema: { type: 'string' } },
  WwwAuthenticate: { description: 'RFC 6750 `Bearer` challenge with `error` and `error_description`, or `scope` for insufficient_scope.', required: true, schema: { type: 'string', pattern: '^Bearer ' } },
  Allow: { description: 'The methods this path supports.', required: true, schema: { type: 'string' } },
  RetryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'string', pattern: '^[0-9]+$' } },
};

export const header = (name: keyof typeof SHARED_HEADERS) => ref('headers', name);
export const parameter = (name: keyof typeof SHARED_PARAMETERS) => ref('parameters', name);

/** Extra headers some problem answers carry. */
const PROBLEM_HEADERS: Readonly<Record<number, Record<string, ReturnType<typeof header>>>> = {
  401: { 'WWW-Authenticate': header('WwwAuthenticate') },
  503: { 'Retry-After': header('RetryAfter') },
};

/**
 * The problem answers of an operation, by status: each a `Problem` whose `type` is one of the
 * slugs given (every slug must be in `PROBLEM_CATALOG`, and of that status).
 */
export function problemResponses(slugs: readonly string[]): Record<string, ResponseObject> {
  const byStatus = new Map<number, string[]>();
  for (const slug of new Set(slugs)) {
    const entry = PROBLEM_CATALOG[slug];
    if (!entry) throw new Error(`problem type ${slug} is not in PROBLEM_CATALOG`);
    byStatus.set(entry.status, [...(byStatus.get(entry.status) ?? []), slug]);
  }
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, group]) => [
        String(status),
        {
          description: group.map((slug) => `\`${problemUri(slug)}\`: ${PROBLEM_CATALOG[slug]!.description}`).join(' '),
          ...(PROBLEM_HEADERS[status] ? { headers: PROBLEM_HEADERS[status] } : {}),
          content: {
            'application/problem+json': {
              schema: { allOf: [schemaRef('Problem')], properties: { type: { enum: group.map(problemUri) }, status: { const: status } } },
            },
          },
        },
      ]),
  );
}

/** Problems any operation may answer: a bad or repeated query parameter, a query too long, a backing service down, a failure. */
export const ANY_OPERATION_PROBLEMS = ['invalid-parameter', 'http-414', 'unavailable', 'internal'] as const;
/** And those of any operation behind the token. */
export const SECURED_PROBLEMS = [...ANY_OPERATION_PROBLEMS, 'http-401', 'http-403'] as const;
/** And those of any operation that reads a JSON body. */
export const BODY_PROBLEMS = ['invalid-json', 'limit-exceeded', 'forbidden-key', 'http-413', 'http-415'] as const;
