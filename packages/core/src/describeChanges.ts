import { isIdentifiedObject, type IdentifiedObject } from './mergeByObjectId.js';
import { isJsonObject, type JsonObject, type JsonValue } from './planDocument.js';

/** One step of a path: an object key, an array index, or an array element named by objectId. */
type Step = { key: string } | { index: number } | { objectId: string };

interface Change {
  readonly path: readonly Step[];
  readonly text: string;
}

/**
 * Human-readable lines for auditors, one per leaf change from `from` to `to`, sorted by path:
 * - `linkedPlanServices[objectId=X].planserviceCostShares.copay: 175 → 150` (a changed value),
 * - `path: (none) → value` (added), `path: value → (none)` (removed),
 * - `linkedPlanServices[objectId=X]: added` / `removed` for a whole element of an array whose
 *   elements are all objects with an objectId; elements of other arrays are named `[index]`.
 * Values are JSON (`"well baby"`, `150`, compact objects and arrays). Keys that are not plain
 * identifiers are written `["a.b"]`; a change of the whole document has the path `(root)`.
 */
export function describeChanges(from: JsonValue, to: JsonValue): string[] {
  const changes: Change[] = [];
  walk(from, to, [], changes);
  return changes.sort((a, b) => comparePaths(a.path, b.path)).map((change) => change.text);
}

function walk(from: JsonValue, to: JsonValue, path: Step[], into: Change[]): void {
  if (isJsonObject(from) && isJsonObject(to)) {
    walkObjects(from, to, path, into);
  } else if (Array.isArray(from) && Array.isArray(to)) {
    if (from.every(isIdentifiedObject) && to.every(isIdentifiedObject)) walkById(from, to, path, into);
    else walkByIndex(from, to, path, into);
  } else if (from !== to) {
    into.push(line(path, `${render(from)} → ${render(to)}`));
  }
}

function walkObjects(from: JsonObject, to: JsonObject, path: Step[], into: Change[]): void {
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const here = [...path, { key }];
    const before = Object.hasOwn(from, key) ? from[key] : undefined;
    const after = Object.hasOwn(to, key) ? to[key] : undefined;
    if (before === undefined) into.push(line(here, `(none) → ${render(after)}`));
    else if (after === undefined) into.push(line(here, `${render(before)} → (none)`));
    else walk(before, after, here, into);
  }
}

function walkById(from: IdentifiedObject[], to: IdentifiedObject[], path: Step[], into: Change[]): void {
  const after = new Map(to.map((element) => [element.objectId, element]));
  const before = new Map(from.map((element) => [element.objectId, element]));
  for (const [objectId, element] of before) {
    const here = [...path, { objectId }];
    const match = after.get(objectId);
    if (match === undefined) into.push(line(here, 'removed'));
    else walk(element, match, here, into);
  }
  for (const objectId of after.keys()) if (!before.has(objectId)) into.push(line([...path, { objectId }], 'added'));
}

function walkByIndex(from: JsonValue[], to: JsonValue[], path: Step[], into: Change[]): void {
  for (let index = 0; index < Math.max(from.length, to.length); index += 1) {
    const here = [...path, { index }];
    const before = from[index];
    const after = to[index];
    if (before === undefined) into.push(line(here, `(none) → ${render(after)}`));
    else if (after === undefined) into.push(line(here, `${render(before)} → (none)`));
    else walk(before, after, here, into);
  }
}

function line(path: Step[], what: string): Change {
  return { path, text: `${renderPath(path)}: ${what}` };
}

function render(value: JsonValue | undefined): string {
  return JSON.stringify(value) ?? '(none)';
}

function renderPath(path: readonly Step[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((step, position) => {
      if ('index' in step) return `[${step.index}]`;
      if ('objectId' in step) return `[objectId=${step.objectId}]`;
      if (!/^[A-Za-z_$][\w$]*$/.test(step.key)) return `[${JSON.stringify(step.key)}]`;
      return position === 0 ? step.key : `.${step.key}`;
    })
    .join('');
}

/** Orders paths step by step: keys and objectIds by code unit, indexes by number, shorter first. */
function comparePaths(a: readonly Step[], b: readonly Step[]): number {
  for (const [position, step] of a.entries()) {
    const other = b[position];
    if (other === undefined) return 1;
    const order = compareSteps(step, other);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

function compareSteps(a: Step, b: Step): number {
  if ('index' in a && 'index' in b) return a.index - b.index;
  const left = 'index' in a ? String(a.index) : 'key' in a ? a.key : a.objectId;
  const right = 'index' in b ? String(b.index) : 'key' in b ? b.key : b.objectId;
  return left < right ? -1 : left > right ? 1 : 0;
}
