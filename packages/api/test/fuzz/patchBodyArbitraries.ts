import type { JsonValue } from '@planledger/core';
import fc from 'fast-check';
import { aPlan } from '../../../core/test/planMother.js';
import { deepNesting, hostileJson, hostileNumber, hostileString, stringifyWithDeep } from './hostileValues.js';
import { withId } from './planBodyArbitrary.js';

/** Pointers into the sample plan, and hostile ones: leading zeros, `-`, `~` escapes, prototype keys, no slash, too deep. */
const POINTERS = [
  '', '/', '/objectId', '/objectType', '/_org', '/planType', '/creationDate', '/extra', '/planCostShares', '/planCostShares/copay', '/planCostShares/deductible',
  '/planCostShares/objectId', '/linkedPlanServices', '/linkedPlanServices/0', '/linkedPlanServices/1', '/linkedPlanServices/2', '/linkedPlanServices/-',
  '/linkedPlanServices/01', '/linkedPlanServices/00', '/linkedPlanServices/-1', '/linkedPlanServices/1e0', '/linkedPlanServices/ 1', '/linkedPlanServices/99',
  '/linkedPlanServices/0/linkedService', '/linkedPlanServices/0/linkedService/name', '/linkedPlanServices/0/linkedService/x', '/linkedPlanServices/1/planserviceCostShares/copay',
  '/linkedPlanServices/0/objectId', '/linkedPlanServices/-/objectId', '/a~1b', '/a~0b', '/a~2b', '/~', '/planCostShares/~01', '/__proto__', '/__proto__/polluted',
  '/constructor/prototype/polluted', '/planCostShares/__proto__', '/prototype', 'objectId', 'linkedPlanServices/0', '#/planType', '/planCostShares//copay',
  '/linkedPlanServices/0/linkedService/name/deeper', '/planType/0', '/a/b/c/d/e/f/g/h',
];

const pointer = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...POINTERS) },
  { weight: 1, arbitrary: fc.array(fc.oneof(hostileString, fc.constantFrom('0', '01', '-', 'linkedPlanServices', 'planCostShares')), { maxLength: 4 }).map((tokens) => tokens.map((t) => `/${t}`).join('')) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 600 }).map((n) => '/a'.repeat(n)) },
);

/** A member that RFC 6902 wants to be a string, sometimes missing or of another type. */
const pointerMember = fc.oneof({ weight: 10, arbitrary: pointer }, { weight: 1, arbitrary: fc.constantFrom(null, 0, 1, true, [], {}, ['/a']) });

const OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;

/** A value to add/replace/test with: scalars, hostile JSON, or a piece of the plan (so some patches are valid). */
const patchValue = fc.oneof(
  hostileNumber,
  hostileString,
  hostileJson,
  fc.constantFrom('inNetwork', 'outOfNetwork', '$ID', 'example.com', 'other.example', '12-12-2017'),
  fc.constant(null).map(() => withId((aPlan({ id: "$ID" }).linkedPlanServices as JsonValue[])[0], '$ID')),
  fc.constant(null).map(() => ({ ...(withId((aPlan({ id: "$ID" }).linkedPlanServices as JsonValue[])[1], '$ID') as object), objectId: '$ID-lps9' })),
  fc.constant(null).map(() => withId(aPlan({ id: '$ID' }).planCostShares, '$ID')),
);

/** One RFC 6902 operation, well formed or not; `from` sometimes a proper prefix of `path`. */
const operation: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: fc.record(
      { op: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...OPS) }, { weight: 1, arbitrary: fc.constantFrom('ADD', 'Add', '', 'delete', 'merge', 1, null) }), path: pointerMember, from: pointerMember, value: patchValue },
      { requiredKeys: ['op'] },
    ) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('move'), from: pointer, suffix: fc.constantFrom('/x', '/0', '/copay', '/0/linkedService/x', '/-') }).map(({ op, from, suffix }) => ({ op, from, path: `${from}${suffix}` })) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom(...OPS), path: pointer, value: patchValue, extra: hostileJson }) },
  { weight: 1, arbitrary: fc.constantFrom(null, 1, 'add', [], [{}], true) },
);

export type PatchBodySpec =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'deep'; readonly depth: number; readonly shape: 'array' | 'object'; readonly format: 'json-patch' | 'merge' }
  | { readonly kind: 'raw'; readonly text: string };

export const jsonPatchBody: fc.Arbitrary<PatchBodySpec> = fc.oneof(
  { weight: 12, arbitrary: fc.array(operation, { maxLength: 5 }).map((value) => ({ kind: 'json' as const, value })) },
  { weight: 1, arbitrary: hostileJson.map((value) => ({ kind: 'json' as const, value })) },
  { weight: 1, arbitrary: deepNesting.map((d) => ({ kind: 'deep' as const, ...d, format: 'json-patch' as const })) },
  { weight: 1, arbitrary: fc.constantFrom('[', '[{"op":"add","path":"/extra","value":1,"value":2}]', '[{"op":"replace","path":"/planCostShares/copay","value":-0}]', '[{"op":"replace","path":"/planCostShares/copay","value":1e400}]', '[{"op":"replace","path":"/planCostShares/copay","value":1e-400}]').map((text) => ({ kind: 'raw' as const, text })) },
);

const MERGE_KEYS = ['planType', 'creationDate', 'objectId', 'objectType', '_org', 'extra', 'planCostShares', 'linkedPlanServices', '__proto__', 'constructor'];

/** An RFC 7396 merge patch: objects of known and hostile members, nulls to delete, and non-object patches. */
export const mergePatchBody: fc.Arbitrary<PatchBodySpec> = fc.oneof(
  { weight: 10, arbitrary: fc.dictionary(fc.constantFrom(...MERGE_KEYS), fc.oneof(
      { weight: 3, arbitrary: patchValue },
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 3, arbitrary: fc.dictionary(fc.constantFrom('copay', 'deductible', 'objectId', '_org', 'objectType', 'x', '__proto__'), fc.oneof(hostileNumber, fc.constant(null), hostileString), { maxKeys: 3 }) },
    ), { maxKeys: 4 }).map((value) => ({ kind: 'json' as const, value })) },
  { weight: 2, arbitrary: hostileJson.map((value) => ({ kind: 'json' as const, value })) },
  { weight: 1, arbitrary: deepNesting.map((d) => ({ kind: 'deep' as const, ...d, format: 'merge' as const })) },
  { weight: 1, arbitrary: fc.constantFrom('{"planType":"a","planType":"b"}', '{', '{"planCostShares":{"copay":-0}}', '{"planCostShares":{"copay":1e400}}').map((text) => ({ kind: 'raw' as const, text })) },
);

/** A linked service element, existing (by objectId) or new, with a few changes. */
const serviceElement = fc.record(
  {
    objectId: fc.constantFrom('$ID-lps1', '$ID-lps2', '$ID-lps9', 'other'),
    planserviceCostShares: fc.record({ copay: hostileNumber, objectId: fc.constantFrom('$ID-pscs1', '$ID-pscs2', '$ID-new') }, { requiredKeys: [] }),
    linkedService: fc.record({ name: hostileString, objectId: fc.constantFrom('$ID-svc1', '$ID-svc9') }, { requiredKeys: [] }),
    objectType: fc.constantFrom('planservice', 'service'),
    _org: fc.constantFrom('example.com', 'other.example'),
    extra: fc.constant(null),
  },
  { requiredKeys: ['objectId'] },
);

/** The `application/json` objectId merge: nested objects merged, arrays of identified objects merged by objectId. */
export const objectIdMergeBody: fc.Arbitrary<PatchBodySpec> = fc.oneof(
  { weight: 10, arbitrary: fc.record(
      {
        planType: fc.oneof(fc.constantFrom('inNetwork', 'outOfNetwork'), hostileString, fc.constant(null)),
        planCostShares: fc.record({ copay: hostileNumber, deductible: hostileNumber, objectType: fc.constantFrom('membercostshare', 'plan') }, { requiredKeys: [] }),
        linkedPlanServices: fc.oneof({ weight: 5, arbitrary: fc.array(serviceElement, { maxLength: 3 }) }, { weight: 1, arbitrary: fc.array(hostileJson, { maxLength: 2 }) }),
        creationDate: fc.constantFrom('2017-12-12', '12-12-2017', 'garbage'),
      },
      { requiredKeys: [] },
    ).map((value) => ({ kind: 'json' as const, value })) },
  { weight: 1, arbitrary: mergePatchBody },
);

/** The body text for plan `id`. */
export function patchBodyText(spec: PatchBodySpec, id: string): string {
  switch (spec.kind) {
    case 'json':
      return JSON.stringify(withId(spec.value, id)) ?? 'null';
    case 'deep':
      return spec.format === 'json-patch' ? stringifyWithDeep([{ op: 'add', path: '/extra', value: '__DEEP__' }], spec.depth, spec.shape) : stringifyWithDeep({ planType: '__DEEP__' }, spec.depth, spec.shape);
    case 'raw':
      return spec.text;
  }
}
