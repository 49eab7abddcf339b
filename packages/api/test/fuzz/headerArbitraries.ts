import fc from 'fast-check';
import { ACTORS, type Actor } from './startFuzzStack.js';

/** An entity tag relative to the plan's version at the time of the request, resolved when the case runs. */
export type EtagSpec =
  | { readonly kind: 'current' | 'stale' | 'next' | 'weakCurrent' | 'star' | 'zeroPadded' | 'unquoted' | 'otherForm' }
  | { readonly kind: 'raw'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly EtagSpec[] };

const singleEtag: fc.Arbitrary<EtagSpec> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('current', 'star').map((kind) => ({ kind }) as EtagSpec) },
  { weight: 6, arbitrary: fc.constantFrom('stale', 'next', 'weakCurrent', 'zeroPadded', 'unquoted', 'otherForm').map((kind) => ({ kind }) as EtagSpec) },
  { weight: 1, arbitrary: fc.constantFrom('"v03"', '"v1"', 'W/"v1"', '""', '"', '*, "v1"', 'garbage', ' * ', '"v-1"', '"v9007199254740993"', '"v1" "v2"', '"v1",,').map((value) => ({ kind: 'raw' as const, value })) },
);

export const etagSpec: fc.Arbitrary<EtagSpec> = fc.oneof({ weight: 12, arbitrary: singleEtag }, { weight: 1, arbitrary: fc.array(singleEtag, { minLength: 1, maxLength: 3 }).map((items) => ({ kind: 'list' as const, items })) });

/** The header text of an entity-tag spec when the plan is at `version` (0: absent). */
export function etagText(spec: EtagSpec, version: number): string {
  switch (spec.kind) {
    case 'current': return `"v${version}"`;
    case 'stale': return `"v${Math.max(version - 1, 0)}"`;
    case 'next': return `"v${version + 1}"`;
    case 'weakCurrent': return `W/"v${version}"`;
    case 'star': return '*';
    case 'zeroPadded': return `"v0${version}"`;
    case 'unquoted': return `v${version}`;
    case 'otherForm': return `"V${version}"`;
    case 'raw': return spec.value;
    case 'list': return spec.items.map((item) => etagText(item, version)).join(', ');
  }
}

/** Content types: the right one or another, in any case, with parameters, or garbage. */
export interface ContentTypeSpec {
  readonly base: string;
  readonly casing: 'lower' | 'upper' | 'mixed';
  readonly parameters: string;
}

export const contentTypeSpec = (preferred: readonly string[]): fc.Arbitrary<ContentTypeSpec | null> =>
  fc.oneof(
    { weight: 12, arbitrary: fc.record({ base: fc.constantFrom(...preferred), casing: fc.constant('lower' as const), parameters: fc.constant('') }) },
    { weight: 3, arbitrary: fc.record({
        base: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...preferred) }, { weight: 1, arbitrary: fc.constantFrom('application/json', 'application/json-patch+json', 'application/merge-patch+json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/problem+json', '', 'json', '*/*', 'application/', 'application/json/x') }),
        casing: fc.constantFrom('lower' as const, 'upper' as const, 'mixed' as const),
        parameters: fc.constantFrom('', '; charset=utf-8', ';charset=UTF-8', '; charset="utf-8"', '; charset=latin1', ';', '; foo=bar', ' '),
      }) },
    { weight: 1, arbitrary: fc.constant(null) },
  );

export function contentTypeText({ base, casing, parameters }: ContentTypeSpec): string {
  const cased = casing === 'upper' ? base.toUpperCase() : casing === 'mixed' ? [...base].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('') : base;
  return `${cased}${parameters}`;
}

/** Who the request claims to be: a dev client's token (scheme in any case), garbage, or nothing. */
export type AuthSpec =
  | { readonly kind: 'token'; readonly actor: Actor; readonly scheme: 'Bearer' | 'bearer' | 'BEARER' | 'BeArEr' }
  | { readonly kind: 'garbage'; readonly value: string }
  | { readonly kind: 'tampered'; readonly actor: Actor }
  | { readonly kind: 'missing' };

export const authSpec = (usual: Actor): fc.Arbitrary<AuthSpec> =>
  fc.oneof(
    { weight: 80, arbitrary: fc.constant({ kind: 'token' as const, actor: usual, scheme: 'Bearer' as const }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('token' as const), actor: fc.constantFrom(...ACTORS), scheme: fc.constant('Bearer' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('token' as const), actor: fc.constant(usual), scheme: fc.constantFrom('bearer' as const, 'BEARER' as const, 'BeArEr' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), value: fc.constantFrom('Bearer', 'Bearer ', 'Bearer x.y.z', 'Basic ZGV2LXdyaXRlcjp4', 'Bearer eyJhbGciOiJub25lIn0.e30.', 'Token abc', 'Bearer  a', 'Bearer ' + 'a'.repeat(9000)) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('tampered' as const), actor: fc.constant(usual) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'missing' as const }) },
  );

export function authorizationText(spec: AuthSpec, tokens: Readonly<Record<Actor, string>>): string | undefined {
  switch (spec.kind) {
    case 'token': return `${spec.scheme} ${tokens[spec.actor]}`;
    case 'garbage': return spec.value;
    case 'tampered': return `Bearer ${tokens[spec.actor].slice(0, -4)}AAAA`;
    case 'missing': return undefined;
  }
}

/** An X-Change-Reason: the header text as bytes go out (UTF-8 bytes one per character), whether it is valid, and what must be stored. */
export interface ReasonSpec {
  readonly header: string;
  readonly valid: boolean;
  /** The reason the event must carry when valid (undefined: none). */
  readonly stored: string | undefined;
}

const utf8Bytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
const reasonOf = (text: string): ReasonSpec => ({ header: utf8Bytes(text), valid: true, stored: text === '' ? undefined : text });

export const reasonSpec: fc.Arbitrary<ReasonSpec> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('fixing the copay', 'Zuzahlung korrigiert – Ticket #42 ✓', '😀', 'x'.repeat(500), 'é'.repeat(500), '', '"quoted", with commas | and pipes', '<script>alert(1)</script>', "'; DROP TABLE plans; --").map(reasonOf) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).filter((text) => !/[\p{Cc}\p{Cs}]/u.test(text) && text.trim() === text).map(reasonOf) },
  { weight: 4, arbitrary: fc.constantFrom(
      { header: 'x'.repeat(501), valid: false, stored: undefined },
      { header: utf8Bytes('é'.repeat(501)), valid: false, stored: undefined },
      { header: 'a\tb', valid: false, stored: undefined },
      { header: utf8Bytes('next\u0085line'), valid: false, stored: undefined },
      { header: utf8Bytes('c1 \u009b control'), valid: false, stored: undefined },
      { header: 'caf\u00e9', valid: false, stored: undefined },
      { header: '\u00c0\u00af', valid: false, stored: undefined },
      { header: '\u00ed\u00a0\u0080', valid: false, stored: undefined },
      { header: '\u00ff\u00fe', valid: false, stored: undefined },
    ) },
);
