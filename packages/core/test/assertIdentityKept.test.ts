import test from 'ava';
import fc from 'fast-check';
import { assertIdentityKept, everyIdentityViolation } from '../src/assertIdentityKept.js';
import { applyJsonPatch } from '../src/applyJsonPatch.js';
import { DomainError, type Violation } from '../src/errors.js';
import type { JsonPatch } from '../src/jsonPatch/jsonPatchTypes.js';
import type { JsonValue } from '../src/planDocument.js';
import { aPlan } from './planMother.js';

/** What assertIdentityKept reports: its violations, or none. */
function reported(before: JsonValue, after: JsonValue): Violation[] {
  try {
    assertIdentityKept(before, after);
    return [];
  } catch (error) {
    if (error instanceof DomainError) return [...(error.violations ?? [])];
    throw error;
  }
}

const id = fc.constantFrom('p-pcs', 'p-lps1', 'p-svc1', 'fresh-1', 'fresh-2');
const pointerTo = fc.constantFrom('/planCostShares', '/linkedPlanServices/0', '/linkedPlanServices/0/linkedService', '/linkedPlanServices/1', '');
/** Changes that keep, rename, retype, move, add and drop objects. */
const change = fc.oneof(
  fc.integer({ min: 0, max: 9 }).map((copay): JsonPatch => [{ op: 'replace', path: '/planCostShares/copay', value: copay }]),
  fc.tuple(pointerTo, id).map(([at, objectId]): JsonPatch => [{ op: 'replace', path: `${at}/objectId`, value: objectId }]),
  fc.tuple(pointerTo, fc.constantFrom('plan', 'membercostshare', 'other')).map(([at, objectType]): JsonPatch => [{ op: 'replace', path: `${at}/objectType`, value: objectType }]),
  fc.constant<JsonPatch>([{ op: 'remove', path: '/linkedPlanServices/0' }]),
  fc.constant<JsonPatch>([{ op: 'move', from: '/linkedPlanServices/0', path: '/linkedPlanServices/-' }]),
  id.map((objectId): JsonPatch => [{ op: 'add', path: '/linkedPlanServices/-', value: { objectId, objectType: 'planservice' } }]),
  fc.constant<JsonPatch>([{ op: 'replace', path: '/planCostShares', value: 'gone' }]),
  fc.constant<JsonPatch>([{ op: 'remove', path: '/planCostShares/objectType' }]),
);

test('assertIdentityKept › reports exactly what comparing every object reports, whether the states share subtrees or not', (t) => {
  let compared = 0;
  fc.assert(
    fc.property(fc.array(change, { minLength: 1, maxLength: 4 }), (patches) => {
      const before = aPlan({ id: 'p' }) as JsonValue;
      let after = before;
      for (const patch of patches) {
        try {
          after = applyJsonPatch(after, patch);
        } catch {
          // a path the earlier changes removed
        }
      }
      const copied = JSON.parse(JSON.stringify(after)) as JsonValue;
      const expected = JSON.stringify(everyIdentityViolation(before, after));
      compared += 1;
      return JSON.stringify(reported(before, after)) === expected && JSON.stringify(reported(before, copied)) === expected;
    }),
    { numRuns: 500 },
  );
  t.true(compared >= 500);
});

test('assertIdentityKept › a renamed objectId deep in a shared plan is still found', (t) => {
  const before = aPlan({ id: 'p' }) as JsonValue;
  const after = applyJsonPatch(before, [{ op: 'replace', path: '/linkedPlanServices/0/linkedService/objectId', value: 'renamed' }]);
  t.deepEqual(reported(before, after), [{ pointer: '/linkedPlanServices/0/linkedService/objectId', message: 'objectId of an existing object cannot change (was p-svc1)' }]);
  t.deepEqual(reported(before, applyJsonPatch(before, [{ op: 'replace', path: '/planCostShares/copay', value: 1 }])), []);
});
