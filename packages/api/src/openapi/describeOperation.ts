import { header, problemResponses, SECURED_PROBLEMS, ANY_OPERATION_PROBLEMS } from './components.js';
import type { OperationObject, ParameterOrRef, RequestBodyObject, ResponseObject, RouteDescription, HttpMethod } from './openApiTypes.js';
import type { ApiScope } from './securityScheme.js';

export interface OperationSpec {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** The scope the operation needs; null for a public one (no token). */
  readonly scope: ApiScope | null;
  readonly parameters?: readonly ParameterOrRef[];
  readonly requestBody?: RequestBodyObject;
  /** The answers other than problems. */
  readonly responses: Readonly<Record<string, ResponseObject>>;
  /** Problem types (slugs) besides those every operation, or every secured one, may answer. */
  readonly problems?: readonly string[];
}

/**
 * An operation as the document shows it: its security (the oauth2 scheme with its scope, or none),
 * its answers with the problem answers merged in by status, and `X-Request-Id` on every answer
 * (the requestId middleware sets it before anything else runs).
 */
export function describeOperation({ scope, problems = [], responses, ...rest }: OperationSpec): OperationObject {
  const all: Record<string, ResponseObject> = problemResponses([...(scope === null ? ANY_OPERATION_PROBLEMS : SECURED_PROBLEMS), ...problems]);
  for (const [status, response] of Object.entries(responses)) all[status] = mergeResponses(all[status], response);
  const withRequestId = Object.fromEntries(
    Object.entries(all).map(([status, response]) => [status, { ...response, headers: { 'X-Request-Id': header('RequestId'), ...(response.headers ?? {}) } }]),
  );
  return { ...rest, security: scope === null ? [] : [{ oauth2: [scope] }], responses: withRequestId };
}

/** Two descriptions of one status (a JSON body and a problem, say): both media types, both sets of headers. */
function mergeResponses(problem: ResponseObject | undefined, response: ResponseObject): ResponseObject {
  if (!problem) return response;
  return {
    description: `${response.description} ${problem.description}`,
    headers: { ...(problem.headers ?? {}), ...(response.headers ?? {}) },
    content: { ...(problem.content ?? {}), ...(response.content ?? {}) },
  };
}

/** `/v1/orgs/:org/plans/:id` (koa-router) as `/v1/orgs/{org}/plans/{id}` (OpenAPI). */
export const templateOf = (koaPath: string): string => koaPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

/** Methods that change something: past the request deadline their outcome is unknown (`requestDeadline`). */
const UNSAFE_METHODS: ReadonlySet<HttpMethod> = new Set(['post', 'put', 'patch', 'delete']);

export const route = (method: HttpMethod, koaPath: string, spec: OperationSpec): RouteDescription => ({
  path: templateOf(koaPath),
  method,
  operation: describeOperation(UNSAFE_METHODS.has(method) ? { ...spec, problems: [...(spec.problems ?? []), 'write-outcome-unknown'] } : spec),
});
