import fc from 'fast-check';

/** The id in a request's path: the case's own plan, or a hostile one (dot segments, encodings, very long). */
export type IdSpec = { readonly kind: 'own' } | { readonly kind: 'ownEncoded' } | { readonly kind: 'hostile'; readonly raw: string };

export const idSpec: fc.Arbitrary<IdSpec> = fc.oneof(
  { weight: 20, arbitrary: fc.constant({ kind: 'own' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'ownEncoded' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hostile' as const), raw: fc.oneof(
      fc.constantFrom('.', '..', '%2e', '%2E%2E', '...', '%2F', 'a%2Fb', '%00', '%ZZ', '%', '__proto__', 'constructor', '%20', 'x%0D%0Ay', '%C3%A9', '%F0%9F%98%80', '%FF', 'plan;x', 'a:b', '~', '*'),
      fc.integer({ min: 256, max: 9000 }).map((n) => 'x'.repeat(n)),
      fc.string({ maxLength: 10 }).map(encodeURIComponent),
    ) }) },
);

/** The path segment and the id the server should decode it to (null when it cannot be decoded). */
export function idSegment(spec: IdSpec, own: string): { segment: string; planId: string | null } {
  if (spec.kind === 'own') return { segment: encodeURIComponent(own), planId: own };
  if (spec.kind === 'ownEncoded') return { segment: [...own].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''), planId: own };
  try {
    return { segment: spec.raw, planId: decodeURIComponent(spec.raw) };
  } catch {
    return { segment: spec.raw, planId: null };
  }
}
