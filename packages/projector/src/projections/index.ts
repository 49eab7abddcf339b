import { asofProjection } from './asof.js';
import { directoryProjection } from './directory.js';
import type { Projection } from './Projection.js';
import { searchProjection } from './search.js';

export type { Projection, ProjectionResources, Generation, LiveTargetOptions, Mismatch, MismatchKind, VerifyProgress } from './Projection.js';

/** Every projection the broker feeds and replay can rebuild. Adding one: its module, and a line here. */
export const PROJECTIONS: readonly Projection[] = [searchProjection, directoryProjection, asofProjection];

export const PROJECTION_NAMES: readonly string[] = PROJECTIONS.map((projection) => projection.name);

/** The projection named `name`, also by a former name (then `formerName` says which it was). */
export function findProjection(name: string): { projection: Projection; formerName: string | null } | null {
  for (const projection of PROJECTIONS) {
    if (projection.name === name) return { projection, formerName: null };
    if (projection.formerNames?.includes(name)) return { projection, formerName: name };
  }
  return null;
}

/** The projection named `name`; throws for a name the registry does not know. */
export function projectionNamed(name: string): Projection {
  const found = findProjection(name);
  if (!found) throw new Error(`No projection named ${JSON.stringify(name)} (known: ${PROJECTION_NAMES.join(', ')}).`);
  return found.projection;
}
