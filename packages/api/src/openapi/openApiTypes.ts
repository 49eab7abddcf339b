/**
 * The parts of an OpenAPI 3.1 document this api writes. Schemas are JSON Schema 2020-12 objects,
 * open-ended by nature, so they are plain JSON objects here.
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch';

export interface MediaTypeObject {
  readonly schema: JsonSchema;
  readonly example?: unknown;
}

export interface HeaderObject {
  readonly description: string;
  readonly required?: boolean;
  readonly schema: JsonSchema;
}

/** A header by value or a reference to `#/components/headers/…`. */
export type HeaderOrRef = HeaderObject | { readonly $ref: string };

export interface ResponseObject {
  readonly description: string;
  readonly headers?: Readonly<Record<string, HeaderOrRef>>;
  readonly content?: Readonly<Record<string, MediaTypeObject>>;
}

export interface ParameterObject {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly description: string;
  readonly required?: boolean;
  readonly schema: JsonSchema;
  readonly style?: 'form' | 'simple';
  readonly explode?: boolean;
}

/** A parameter by value or a reference to `#/components/parameters/…`. */
export type ParameterOrRef = ParameterObject | { readonly $ref: string };

export interface RequestBodyObject {
  readonly description?: string;
  readonly required?: boolean;
  readonly content: Readonly<Record<string, MediaTypeObject>>;
}

export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

export interface OperationObject {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** `[]` for a public operation; the scopes of the `oauth2` scheme otherwise. */
  readonly security: readonly SecurityRequirement[];
  readonly parameters?: readonly ParameterOrRef[];
  readonly requestBody?: RequestBodyObject;
  readonly responses: Readonly<Record<string, ResponseObject>>;
}

/** One route's description: where it is mounted and what it does. */
export interface RouteDescription {
  readonly path: string;
  readonly method: HttpMethod;
  readonly operation: OperationObject;
}

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly servers: readonly { readonly url: string; readonly description?: string }[];
  readonly tags: readonly { readonly name: string; readonly description: string }[];
  readonly paths: Readonly<Record<string, Partial<Record<HttpMethod, OperationObject>>>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, JsonSchema>>;
    readonly parameters: Readonly<Record<string, ParameterObject>>;
    readonly headers: Readonly<Record<string, HeaderObject>>;
    readonly securitySchemes: Readonly<Record<string, unknown>>;
  };
}
