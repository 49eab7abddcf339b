import { PLAN_SCHEMA } from '@planledger/core';
import type { JsonSchema } from './openApiTypes.js';

const DEF_REF = /^#\/\$defs\/(.+)$/;
const componentName = (def: string) => `Plan_${def}`;

/** A copy of `schema` with every `#/$defs/x` reference turned into `#/components/schemas/Plan_x`. */
function rewriteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => {
      const match = key === '$ref' && typeof value === 'string' ? DEF_REF.exec(value) : null;
      return [key, match ? `#/components/schemas/${componentName(match[1]!)}` : rewriteRefs(value)];
    }),
  );
}

/**
 * The served plan schema (`PLAN_SCHEMA`, what `GET /v1/schema/plan` answers) as components,
 * generated from the same object each time the document is built: `Plan`, and each of its
 * `$defs` as `Plan_<name>`. `$schema`, `$id` and `$defs` are left out and the references
 * rewritten, so the schemas resolve inside this document (OpenAPI 3.1 schemas are JSON Schema
 * 2020-12, the schema's own dialect).
 */
export function planSchemaComponents(): Record<string, JsonSchema> {
  const { $schema, $id, $defs, ...plan } = PLAN_SCHEMA;
  void $schema;
  return {
    Plan: { ...(rewriteRefs(plan) as JsonSchema), description: `${PLAN_SCHEMA.description} The same schema as \`GET /v1/schema/plan\` (\`${$id}\`).` },
    ...Object.fromEntries(Object.entries($defs).map(([name, def]) => [componentName(name), rewriteRefs(def) as JsonSchema])),
  };
}
