import test from 'ava';
import fc from 'fast-check';
import { applyJsonPatch, collectObjectIds, isJsonObject, type JsonPatch, type JsonValue } from '../src/index.js';
import { aPlan } from './planMother.js';

/** The ids by a plain walk of the whole value, for reference. */
function walk(value: JsonValue | null, into: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => walk(item, into));
  else if (isJsonObject(value)) {
    if (typeof value.objectId === 'string') into.push(value.objectId);
    Object.values(value).forEach((child) => walk(child, into));
  }
  return into;
}

const sorted = (ids: Iterable<string>) => [...ids].sort();

/** Changes of the sample plan's objects: a field, a service added or removed, the cost shares replaced. */
const change = fc.oneof(
  fc.integer({ min: 0, max: 500 }).map((copay): JsonPatch => [{ op: 'replace', path: '/planCostShares/copay', value: copay }]),
  fc.string({ minLength: 1, maxLength: 6 }).map((id): JsonPatch => [{ op: 'add', path: '/linkedPlanServices/-', value: { objectId: `lps-${id}`, objectType: 'planservice', linkedService: { objectId: `svc-${id}`, name: 'x' } } }]),
  fc.constant<JsonPatch>([{ op: 'remove', path: '/linkedPlanServices/0' }]),
  fc.string({ minLength: 1, maxLength: 6 }).map((id): JsonPatch => [{ op: 'replace', path: '/planCostShares', value: { objectId: `pcs-${id}`, copay: 1 } }]),
);

test('collectObjectIds › equals a walk of the whole document at every state of a run of changes, however much each state shares with the one before', (t) => {
  fc.assert(
    fc.property(fc.array(change, { maxLength: 12 }), (changes) => {
      let document = aPlan() as JsonValue;
      t.deepEqual(sorted(collectObjectIds(document)), sorted(walk(document)));
      for (const patch of changes) {
        try {
          document = applyJsonPatch(document, patch);
        } catch {
          continue; // removing from an empty list
        }
        const found = collectObjectIds(document);
        if (JSON.stringify(sorted(found)) !== JSON.stringify(sorted(new Set(walk(document))))) return false;
      }
      return true;
    }),
    { numRuns: 200 },
  );
  t.pass();
});

test('collectObjectIds › adds into the set it is given; a value without objects has none', (t) => {
  const into = new Set(['before']);
  collectObjectIds({ objectId: 'a', items: [{ objectId: 'b' }, 3, 'c', null], nested: { deeper: { objectId: 'd' } } }, into);
  t.deepEqual(sorted(into), ['a', 'b', 'before', 'd']);
  t.deepEqual(collectObjectIds(null).size, 0);
  t.deepEqual(collectObjectIds([1, 'two', { three: 3 }]).size, 0);
});
