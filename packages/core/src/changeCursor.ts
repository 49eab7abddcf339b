import { InvalidCursor } from './errors.js';

/** Where a changes scan stands: per partition, the last position read (null: nothing read yet). */
export type PartitionPositions = readonly (string | null)[];

const POSITION = /^\d{1,20}-\d{1,20}$/;
const MAX_CURSOR_LENGTH = 4096;

/**
 * The opaque cursor of a changes page: base64url JSON `{ "v": 1, "p": [position | null, …] }`,
 * one position per partition. Each partition resumes strictly after its own position, so an event
 * appended to one partition while another was read ahead is never skipped.
 */
export function encodeChangeCursor(positions: PartitionPositions): string {
  return Buffer.from(JSON.stringify({ v: 1, p: positions })).toString('base64url');
}

/**
 * The positions a cursor names; InvalidCursor for anything this api did not give out: not
 * base64url JSON of that shape, another number of partitions, a position that is no log position.
 * A cursor is only where to resume: tenancy and filters are applied again on every page.
 */
export function decodeChangeCursor(cursor: string, partitions: number): PartitionPositions {
  const refuse = () => new InvalidCursor('The cursor is not one from a previous page of /v1/changes; start again without a cursor.');
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw refuse();
  const { v, p } = parsed as { v?: unknown; p?: unknown };
  if (v !== 1 || !Array.isArray(p) || p.length !== partitions) throw refuse();
  if (!p.every((position) => position === null || (typeof position === 'string' && POSITION.test(position)))) throw refuse();
  if (Object.keys(parsed).length !== 2) throw refuse();
  return p as (string | null)[];
}
