import fc from 'fast-check';
import { aPlan } from '../../../core/test/planMother.js';
import { deepNesting, hostileJson, hostileNumber, hostileString, dateLike, stringifyWithDeep } from './hostileValues.js';

/** Where in a plan a mutation lands (segments; numbers index arrays). */
export const PLAN_PATHS: readonly (readonly string[])[] = [
  ['objectId'], ['objectType'], ['_org'], ['planType'], ['creationDate'], ['extra'], ['__proto__'], ['constructor'],
  ['planCostShares'], ['planCostShares', 'copay'], ['planCostShares', 'deductible'], ['planCostShares', 'objectId'], ['planCostShares', '_org'], ['planCostShares', 'objectType'],
  ['linkedPlanServices'], ['linkedPlanServices', '0'], ['linkedPlanServices', '2'], ['linkedPlanServices', '0', 'objectId'], ['linkedPlanServices', '1', '_org'],
  ['linkedPlanServices', '0', 'linkedService'], ['linkedPlanServices', '0', 'linkedService', 'name'], ['linkedPlanServices', '1', 'linkedService', 'objectId'],
  ['linkedPlanServices', '1', 'planserviceCostShares', 'copay'], ['linkedPlanServices', '1', 'planserviceCostShares', 'prototype'],
];

export type Mutation = { readonly path: readonly string[]; readonly action: 'delete' } | { readonly path: readonly string[]; readonly action: 'set'; readonly value: unknown };

/** A plan body as a recipe, made concrete for a plan id when the case runs (so shrinking stays meaningful). */
export type PlanBodySpec =
  | { readonly kind: 'valid' }
  | { readonly kind: 'fixture' }
  | { readonly kind: 'mutated'; readonly mutations: readonly Mutation[] }
  | { readonly kind: 'arbitrary'; readonly value: unknown }
  | { readonly kind: 'deep'; readonly depth: number; readonly shape: 'array' | 'object' }
  | { readonly kind: 'raw'; readonly text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ path: fc.constantFrom(...PLAN_PATHS), action: fc.constant('delete' as const) }),
  fc.record({ path: fc.constantFrom(...PLAN_PATHS), action: fc.constant('set' as const), value: fc.oneof(hostileString, hostileNumber, dateLike, hostileJson) }),
);

/** Raw texts: malformed JSON, duplicate keys, numbers out of range, a plan with `-0`. */
const rawText = fc.oneof(
  fc.constantFrom('', ' ', '{', '[', 'null', '"x"', '{"a":1}{', '{"objectId":"$ID","objectId":"$ID"}', 'NaN', '{"a":1e400}', '{"a":-0}', '\u0000', '{"__proto__":{"x":1}}', '[1,]', '{"a":1,}'),
  fc.string({ maxLength: 40 }),
);

export const planBodySpec: fc.Arbitrary<PlanBodySpec> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'valid' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'fixture' as const }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('mutated' as const), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('arbitrary' as const), value: hostileJson }) },
  { weight: 1, arbitrary: deepNesting.map((d) => ({ kind: 'deep' as const, ...d })) },
  { weight: 1, arbitrary: rawText.map((text) => ({ kind: 'raw' as const, text })) },
);

/** Replaces `$ID` in every string (keys included) with the case's plan id. */
export function withId(value: unknown, id: string): unknown {
  if (typeof value === 'string') return value.replaceAll('$ID', id);
  if (Array.isArray(value)) return value.map((item) => withId(item, id));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) Object.defineProperty(out, key.replaceAll('$ID', id), { value: withId(child, id), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

function applyMutation(document: Record<string, unknown>, { path, ...rest }: Mutation): void {
  let node: unknown = document;
  for (const segment of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<string, unknown>)[segment];
  }
  const last = path[path.length - 1] ?? '';
  if (typeof node !== 'object' || node === null) return;
  if (rest.action === 'delete') delete (node as Record<string, unknown>)[last];
  else Object.defineProperty(node, last, { value: rest.value, enumerable: true, writable: true, configurable: true });
}

/** The canonical sample (shared/fixtures/plan.json) with its objectIds moved under the case's id. */
function fixturePlan(id: string): unknown {
  return withId(aPlan({ id: '$ID' }), id);
}

/** The body text a spec stands for, for plan `id` (in org `org`). */
export function planBodyText(spec: PlanBodySpec, id: string, org = 'example.com'): string {
  switch (spec.kind) {
    case 'valid':
      return JSON.stringify(aPlan({ id, org }));
    case 'fixture':
      return JSON.stringify(fixturePlan(id));
    case 'mutated': {
      const document = aPlan({ id, org }) as unknown as Record<string, unknown>;
      for (const m of spec.mutations) applyMutation(document, { ...m, ...(m.action === 'set' ? { value: withId(m.value, id) } : {}) } as Mutation);
      return JSON.stringify(document);
    }
    case 'arbitrary':
      return JSON.stringify(withId(spec.value, id)) ?? 'null';
    case 'deep':
      return stringifyWithDeep({ ...aPlan({ id, org }), planType: '__DEEP__' }, spec.depth, spec.shape);
    case 'raw':
      return spec.text.replaceAll('$ID', id);
  }
}
