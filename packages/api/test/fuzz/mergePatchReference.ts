/** Own-property assignment that also works for keys like `__proto__` (the reference must not be fooled by them). */
function put(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * RFC 7396 §2 MergePatch(Target, Patch), written from the RFC's pseudo-code, independent of the
 * core's implementation. Pure: returns a new value.
 *
 *   if Patch is an Object:
 *     if Target is not an Object: Target = {}
 *     for each Name/Value pair in Patch:
 *       if Value is null: if Name exists in Target: remove the Name/Value pair from Target
 *       else: Target[Name] = MergePatch(Target[Name], Value)
 *     return Target
 *   else: return Patch
 */
export function mergePatchReference(target: unknown, patch: unknown): unknown {
  return mergeMembers(target, patch, mergePatchReference);
}

const identified = (value: unknown): value is Record<string, unknown> & { objectId: string } => isObject(value) && typeof value.objectId === 'string';

/**
 * The `application/json` objectId merge as the core documents it (mergeByObjectId.ts), written
 * independently: RFC 7396 except that an array patch whose elements all carry a string objectId,
 * applied to an array whose elements all do too, merges element by objectId (merged in place when
 * present, appended without its null members when new; unmentioned elements stay).
 */
export function objectIdMergeReference(target: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) {
    if (!Array.isArray(target) || !target.every(identified) || !patch.every(identified)) return structuredClone(patch);
    const result: unknown[] = structuredClone(target);
    for (const element of patch) {
      const index = result.findIndex((existing) => identified(existing) && existing.objectId === element.objectId);
      if (index === -1) result.push(objectIdMergeReference(undefined, element));
      else result[index] = objectIdMergeReference(result[index], element);
    }
    return result;
  }
  return mergeMembers(target, patch, objectIdMergeReference);
}

/** RFC 7396's object step: a non-object patch replaces; else each member merges (`recurse`), null removes. */
function mergeMembers(target: unknown, patch: unknown, recurse: (target: unknown, patch: unknown) => unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = {};
  if (isObject(target)) for (const name of Object.keys(target)) put(result, name, structuredClone(target[name]));
  for (const name of Object.keys(patch)) {
    const value = patch[name];
    if (value === null) delete result[name];
    else put(result, name, recurse(Object.hasOwn(result, name) ? result[name] : undefined, value));
  }
  return result;
}

