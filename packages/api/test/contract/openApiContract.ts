import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parseMediaType } from '../../src/parseMediaType.js';

// ajv-formats is CommonJS: its default export arrives as the module object under tsx/node.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

/** One request the api answered, as a test saw it. */
export interface Exchange {
  readonly method: string;
  /** Path and query, as sent (`/v1/plans?limit=5`). */
  readonly target: string;
  /** Request headers, names lower case. */
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody?: string | undefined;
  readonly status: number;
  readonly responseHeaders: Headers;
  readonly responseBody: string;
}

type Json = { readonly [key: string]: unknown };

interface Operation {
  readonly id: string;
  readonly pointer: string;
  readonly value: Json;
  readonly pathParams: Record<string, string>;
}

interface PathMatcher {
  readonly template: string;
  readonly pattern: RegExp;
  readonly names: string[];
  readonly literals: number;
}

const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const isJsonMedia = (type: string) => type === 'application/json' || type.endsWith('+json');

/** Thrown when an exchange disagrees with the document; the message names the operation and the schema errors. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

/**
 * Checks request/response pairs against an OpenAPI 3.1 document: the path template and method,
 * path, query and header parameters, the request body by content type, that the status is
 * documented, that documented required response headers are there (and every documented one
 * present is valid), and the response body by content type (NDJSON line by line). A request the
 * document calls invalid must be refused with a documented 4xx: an api that accepts it disagrees
 * with its description as much as one that answers an undocumented status.
 */
export function createOpenApiContract(document: Json) {
  // The document is not checked against the JSON Schema meta-schema here (that is the unit test's job with the OpenAPI one).
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, validateSchema: false });
  addFormats(ajv);
  ajv.addKeyword('x-ndjson-item');
  ajv.addSchema({ ...document, $id: 'urn:planledger:openapi' } as object, 'urn:planledger:openapi');
  const validators = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string): ValidateFunction => {
    let validate = validators.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `urn:planledger:openapi#${pointer}` });
      validators.set(pointer, validate);
    }
    return validate;
  };
  const errorsOf = (pointer: string, value: unknown): string | null => {
    const validate = validatorAt(pointer);
    if (validate(value)) return null;
    return ajv.errorsText(validate.errors?.slice(0, 5), { dataVar: '' });
  };

  /** Follows a `$ref` to a component (parameters, headers); the pointer of what it names. */
  const resolve = (pointer: string, value: Json): { pointer: string; value: Json } => {
    const target = value.$ref;
    if (typeof target !== 'string') return { pointer, value };
    const path = target.replace(/^#/, '');
    const found = path.split('/').slice(1).reduce<unknown>((at, segment) => (at as Json)?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')], document);
    return { pointer: path, value: found as Json };
  };

  const paths = document.paths as Record<string, Record<string, Json>>;
  const matchers: PathMatcher[] = Object.keys(paths).map((template) => {
    const names: string[] = [];
    const source = template.split('/').map((segment) => segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))).join('/');
    return { template, pattern: new RegExp(`^${source}$`), names, literals: template.split('/').filter((segment) => segment !== '' && !segment.includes('{')).length };
  });

  const findOperation = (method: string, path: string): Operation | null => {
    const candidates = matchers.map((matcher) => ({ matcher, match: matcher.pattern.exec(path) })).filter(({ match }) => match !== null);
    candidates.sort((a, b) => b.matcher.literals - a.matcher.literals);
    for (const { matcher, match } of candidates) {
      const value = paths[matcher.template]?.[method.toLowerCase()];
      if (!value) continue;
      const pathParams = Object.fromEntries(matcher.names.map((name, i) => [name, match![i + 1]!]));
      return { id: String(value.operationId), pointer: `/paths/${escapePointer(matcher.template)}/${method.toLowerCase()}`, value, pathParams };
    }
    return null;
  };

  const coerce = (schema: Json | undefined, raw: string): unknown => {
    const type = schema?.type;
    if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
    if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
    return raw;
  };

  /** What is wrong with the request by the document (empty: nothing). */
  const requestProblems = (operation: Operation, exchange: Exchange, url: URL): string[] => {
    const problems: string[] = [];
    const parameters = ((operation.value.parameters ?? []) as Json[]).map((parameter, i) => resolve(`${operation.pointer}/parameters/${i}`, parameter));
    const query = new URLSearchParams(url.search);
    const seen = new Set<string>();
    let freeForm: { pointer: string; value: Json } | undefined;
    for (const { pointer, value } of parameters) {
      const name = String(value.name);
      const schema = value.schema as Json | undefined;
      if (value.in === 'query' && schema?.type === 'object' && value.explode !== false) {
        freeForm = { pointer, value };
        continue;
      }
      let raw: string | undefined;
      if (value.in === 'path') raw = safeDecode(operation.pathParams[name] ?? '');
      else if (value.in === 'query') {
        const all = query.getAll(name);
        seen.add(name);
        if (all.length > 1) problems.push(`query parameter ${name} is given ${all.length} times`);
        raw = all[0];
      } else if (value.in === 'header') raw = exchange.requestHeaders[name.toLowerCase()];
      if (raw === undefined) {
        if (value.required === true) problems.push(`${value.in} parameter ${name} is required`);
        continue;
      }
      const errors = errorsOf(`${pointer}/schema`, coerce(schema, raw));
      if (errors) problems.push(`${value.in} parameter ${name}: ${errors}`);
    }
    const rest = [...new Set(query.keys())].filter((name) => !seen.has(name));
    if (freeForm) {
      const object = Object.fromEntries(rest.map((name) => [name, query.getAll(name).join(',')]));
      const errors = errorsOf(`${freeForm.pointer}/schema`, object);
      if (errors) problems.push(`query parameters (${String(freeForm.value.name)}): ${errors}`);
    } else if (rest.length > 0) problems.push(`query parameters ${rest.join(', ')} are not documented`);

    const security = operation.value.security as unknown[] | undefined;
    if (security && security.length > 0 && !exchange.requestHeaders.authorization) problems.push('no Authorization header on a secured operation');

    const body = operation.value.requestBody as Json | undefined;
    const sent = exchange.requestBody !== undefined && exchange.requestBody !== '';
    if (body && !sent && body.required === true) problems.push('the request body is required');
    if (body && sent) {
      const media = parseMediaType(exchange.requestHeaders['content-type'] ?? '');
      const content = body.content as Record<string, Json>;
      if (!media || !content[media.type]) problems.push(`request Content-Type ${exchange.requestHeaders['content-type'] ?? '(none)'} is not one of ${Object.keys(content).join(', ')}`);
      else if (isJsonMedia(media.type)) {
        const parsed = parseJson(exchange.requestBody ?? '');
        if (parsed === INVALID) problems.push('the request body is not JSON');
        else {
          const errors = errorsOf(`${operation.pointer}/requestBody/content/${escapePointer(media.type)}/schema`, parsed);
          if (errors) problems.push(`request body: ${errors}`);
        }
      }
    }
    return problems;
  };

  /** What is wrong with the response by the document. */
  const responseProblems = (operation: Operation, exchange: Exchange): string[] => {
    const responses = operation.value.responses as Record<string, Json>;
    const key = [String(exchange.status), `${String(exchange.status)[0]}XX`, 'default'].find((candidate) => responses[candidate]);
    if (!key) return [`status ${exchange.status} is not documented (documented: ${Object.keys(responses).join(', ')})`];
    const pointer = `${operation.pointer}/responses/${key}`;
    const response = responses[key]!;
    const problems: string[] = [];
    for (const [name, declared] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
      const header = resolve(`${pointer}/headers/${escapePointer(name)}`, declared);
      const value = exchange.responseHeaders.get(name);
      if (value === null) {
        if (header.value.required === true) problems.push(`response header ${name} is required but missing`);
        continue;
      }
      const errors = errorsOf(`${header.pointer}/schema`, coerce(header.value.schema as Json | undefined, value));
      if (errors) problems.push(`response header ${name}: ${errors}`);
    }
    const content = response.content as Record<string, Json> | undefined;
    if (exchange.responseBody === '') {
      if (content && exchange.status !== 204 && exchange.status !== 304) problems.push('the response has no body but one is documented');
      return problems;
    }
    if (!content) return [...problems, `the response has a body (${exchange.responseHeaders.get('content-type') ?? 'no Content-Type'}) but none is documented`];
    const media = parseMediaType(exchange.responseHeaders.get('content-type') ?? '');
    if (!media || !content[media.type]) return [...problems, `response Content-Type ${exchange.responseHeaders.get('content-type') ?? '(none)'} is not one of ${Object.keys(content).join(', ')}`];
    const schemaPointer = `${pointer}/content/${escapePointer(media.type)}/schema`;
    if (media.type === 'application/x-ndjson') {
      exchange.responseBody.split('\n').filter((line) => line.trim() !== '').forEach((line, i) => {
        const parsed = parseJson(line);
        const errors = parsed === INVALID ? 'not JSON' : errorsOf(`${schemaPointer}/x-ndjson-item`, parsed);
        if (errors) problems.push(`response line ${i + 1}: ${errors}`);
      });
    } else if (isJsonMedia(media.type)) {
      const parsed = parseJson(exchange.responseBody);
      const errors = parsed === INVALID ? 'not JSON' : errorsOf(schemaPointer, parsed);
      if (errors) problems.push(`response body: ${errors}`);
    }
    return problems;
  };

  return {
    /** Throws a ContractViolation unless the exchange agrees with the document. */
    check(exchange: Exchange): void {
      const url = new URL(exchange.target, 'http://api.invalid');
      const operation = findOperation(exchange.method, url.pathname);
      const where = `${exchange.method} ${exchange.target.slice(0, 200)}`;
      if (!operation) throw new ContractViolation(`OpenAPI contract: ${where} → ${exchange.status}: no operation in the document serves ${exchange.method} ${url.pathname}`);
      const refused = requestProblems(operation, exchange, url);
      const problems = responseProblems(operation, exchange);
      if (refused.length > 0 && exchange.status < 400) problems.push(`the api answered ${exchange.status} to a request the document calls invalid (${refused.join('; ')})`);
      if (problems.length > 0) throw new ContractViolation(`OpenAPI contract: ${where} (operation ${operation.id}) → ${exchange.status}: ${problems.join('; ')} [response body: ${exchange.responseBody.slice(0, 300)}]`);
    },
  };
}

export type OpenApiContract = ReturnType<typeof createOpenApiContract>;

const INVALID = Symbol('invalid JSON');
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
