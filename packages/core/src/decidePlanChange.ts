import { applyJsonPatch, diffDocuments } from './applyJsonPatch.js';
import { assertIdentityKept } from './assertIdentityKept.js';
import type { Remembering } from './checkedParts.js';
import { DomainError, ForbiddenOrg, PlanExists, SchemaViolation, type Violation } from './errors.js';
import { assertNoForbiddenKeys } from './forbiddenKeys.js';
import { applyMergePatch } from './mergePatch.js';
import { validateJsonPatch } from './jsonPatch/validateJsonPatch.js';
import { mergeByObjectId } from './mergeByObjectId.js';
import { isJsonObject, type JsonValue, type PlanDocument } from './planDocument.js';
import type { JsonPatch, PlanEventType } from './planEvent.js';
import { findForeignOrgs, tenantMayAccess, type Tenant } from './tenancy.js';

/** How a PATCH body says what to change, by its content type. */
export type PatchFormat = 'json-patch' | 'merge-patch' | 'merge';

export type PlanCommand =
  | { readonly kind: 'create'; readonly document: unknown }
  | { readonly kind: 'replace'; readonly document: unknown }
  | { readonly kind: 'patch'; readonly format: PatchFormat; readonly body: unknown }
  | { readonly kind: 'delete' };

/** What to append: the event's type and patch, and the plan as it will be. */
export interface PlanDecision {
  readonly type: PlanEventType;
  readonly patch: JsonPatch;
  readonly document: PlanDocument | null;
}

export interface DecideOptions {
  readonly tenant: Tenant;
  /** Checks a whole plan document; returns every violation (empty when valid). */
  readonly validate: (document: unknown, remembering?: Remembering) => Violation[];
}

/**
 * The write side's one decision, pure: given the plan as it is (null when absent or deleted) and
 * a command, the change to append, or null when the command changes nothing. Whatever the
 * command, the result is validated whole before it can be stored.
 */
export function decidePlanChange(current: PlanDocument | null, command: PlanCommand, options: DecideOptions): PlanDecision | null {
  switch (command.kind) {
    case 'create': {
      const document = checkResult(null, command.document, options);
      if (current !== null) throw new PlanExists(document.objectId);
      return { type: 'created', patch: [{ op: 'add', path: '', value: document }], document };
    }
    case 'replace':
      return changeTo(current, 'replaced', command.document, options);
    case 'patch':
      return changeTo(current, 'patched', applyPatchBody(current, command.format, command.body), options);
    case 'delete':
      return { type: 'deleted', patch: [], document: null };
  }
}

function changeTo(current: PlanDocument | null, type: 'replaced' | 'patched', next: unknown, options: DecideOptions): PlanDecision | null {
  const document = checkResult(current, next, options);
  const patch = current === null ? [] : diffDocuments(current, document);
  return patch.length === 0 ? null : { type, patch, document };
}

function applyPatchBody(current: PlanDocument | null, format: PatchFormat, body: unknown): JsonValue {
  assertNoForbiddenKeys(body);
  const base: JsonValue = current ?? {};
  switch (format) {
    case 'json-patch':
      return applyJsonPatch(base, validateJsonPatch(body));
    case 'merge-patch':
      return applyMergePatch(base, body as JsonValue);
    case 'merge':
      if (!isJsonObject(body)) throw new SchemaViolation([{ pointer: '', message: 'a merge body must be a JSON object' }]);
      return mergeByObjectId(base, body);
  }
}

/** The result of any write must be a valid plan of an org the caller acts for, keeping identities. */
function checkResult(current: PlanDocument | null, next: unknown, { tenant, validate }: DecideOptions): PlanDocument {
  // A change's result shares its parts with the plan's next change: what the checks find of them
  // is kept, so that change checks only what it makes (see checkedParts). A create's is not.
  const remembering = { remember: current !== null };
  assertNoForbiddenKeys(next, remembering);
  // Identity first: changing an objectType is a refused change (422), not a malformed document (400).
  if (current !== null) assertIdentityKept(current, next as JsonValue);
  const violations = validate(next, remembering);
  if (violations.length > 0) throw new SchemaViolation(violations);
  const document = next as PlanDocument;
  if (current !== null) {
    if (document._org !== current._org) {
      throw new DomainError('PATCH_FAILED', "A plan's _org cannot change.", [{ pointer: '/_org', message: `must stay '${current._org}'` }]);
    }
  }
  if (!tenantMayAccess(tenant, document._org)) throw new ForbiddenOrg(document._org);
  const foreign = findForeignOrgs(document, document._org, '', remembering);
  if (foreign.length > 0) throw new SchemaViolation(foreign);
  return document;
}
