import type { JsonValue } from '../planDocument.js';

/** One RFC 6902 operation, as validated: only the members its op defines. */
export type JsonPatchOperation =
  | { readonly op: 'add'; readonly path: string; readonly value: JsonValue }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'replace'; readonly path: string; readonly value: JsonValue }
  | { readonly op: 'move'; readonly from: string; readonly path: string }
  | { readonly op: 'copy'; readonly from: string; readonly path: string }
  | { readonly op: 'test'; readonly path: string; readonly value: JsonValue };

/** An RFC 6902 JSON Patch document: operations applied in order, all or nothing. */
export type JsonPatch = JsonPatchOperation[];

export type JsonPatchOp = JsonPatchOperation['op'];

export const JSON_PATCH_OPS: readonly JsonPatchOp[] = ['add', 'remove', 'replace', 'move', 'copy', 'test'];
