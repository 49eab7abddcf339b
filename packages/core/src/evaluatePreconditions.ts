import { VersionConflict } from './errors.js';
import { planEtag } from './planEtag.js';

/**
 * An RFC 9110 entity-tag list as a request gives it: `*`, or the tags as sent (`"v3"`, `W/"v3"`).
 * Tags are compared as opaque strings: `"v03"` is not `"v3"`.
 */
export type EntityTags = '*' | readonly string[];

/** The conditional request headers (RFC 9110 §13.1), parsed; an absent header is undefined. */
export interface Preconditions {
  readonly ifMatch?: EntityTags;
  readonly ifNoneMatch?: EntityTags;
  /** Ignored when `ifMatch` is given (§13.1.4). */
  readonly ifUnmodifiedSince?: Date;
  /** Reads only, and ignored when `ifNoneMatch` is given (§13.1.3). */
  readonly ifModifiedSince?: Date;
}

/** What the conditions are evaluated against: the plan's current head. */
export interface PreconditionTarget {
  readonly planId: string;
  /** False when there is no current representation (never created, or deleted). */
  readonly exists: boolean;
  readonly version: number;
  /** Time of the plan's last event (ISO 8601); compared at second precision, as HTTP dates are. */
  readonly at: string | null;
}

/**
 * RFC 9110 §13.2.2 in order: If-Match (strong comparison), else If-Unmodified-Since; then
 * If-None-Match (weak comparison), else If-Modified-Since for reads. A false condition on a write
 * (or If-Match / If-Unmodified-Since on a read) throws VersionConflict (412, with the current
 * version); a false If-None-Match / If-Modified-Since on a read answers 'not-modified' (304).
 */
export function evaluatePreconditions(target: PreconditionTarget, conditions: Preconditions, { read = false }: { read?: boolean } = {}): 'proceed' | 'not-modified' {
  const current = target.exists ? planEtag(target.version) : null;
  const lastModified = target.exists && target.at !== null ? Math.floor(Date.parse(target.at) / 1000) : null;
  const refuse = (detail: string): never => {
    throw new VersionConflict(target.planId, target.version, target.version, `Plan '${target.planId}' is at version ${target.version}${current ? ` (ETag ${current})` : ''}: ${detail}`);
  };

  if (conditions.ifMatch !== undefined) {
    if (!tagsMatch(conditions.ifMatch, current, strongly)) refuse(conditions.ifMatch === '*' ? 'If-Match: * needs a current plan.' : `If-Match ${conditions.ifMatch.join(', ')} does not name it.`);
  } else if (conditions.ifUnmodifiedSince !== undefined && lastModified !== null) {
    if (lastModified > Math.floor(conditions.ifUnmodifiedSince.getTime() / 1000)) refuse(`it was modified at ${new Date(lastModified * 1000).toUTCString()}, after If-Unmodified-Since.`);
  }

  if (conditions.ifNoneMatch !== undefined) {
    if (tagsMatch(conditions.ifNoneMatch, current, weakly)) {
      if (read) return 'not-modified';
      refuse(conditions.ifNoneMatch === '*' ? 'If-None-Match: * allows the change only when there is no current plan.' : `If-None-Match ${conditions.ifNoneMatch.join(', ')} names it.`);
    }
  } else if (read && conditions.ifModifiedSince !== undefined && lastModified !== null) {
    if (lastModified <= Math.floor(conditions.ifModifiedSince.getTime() / 1000)) return 'not-modified';
  }
  return 'proceed';
}

type Comparison = (candidate: string, current: string) => boolean;
const strongly: Comparison = (candidate, current) => !candidate.startsWith('W/') && candidate === current;
const weakly: Comparison = (candidate, current) => candidate.replace(/^W\//, '') === current.replace(/^W\//, '');

function tagsMatch(tags: EntityTags, current: string | null, compare: Comparison): boolean {
  if (current === null) return false;
  return tags === '*' || tags.some((candidate) => compare(candidate, current));
}
