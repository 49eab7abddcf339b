import type { Context } from 'koa';
import { parseEtag, type ExpectedVersion } from '@planledger/core';

/**
 * The versions a write may change, from `If-Match`: required (428 without it), `*` for any
 * current version, else the strong entity tags it lists (weak tags never match for writes).
 */
export function expectedVersionOf(ctx: Context): ExpectedVersion {
  const header = ctx.get('if-match').trim();
  if (header === '') ctx.throw(428, 'This change needs an If-Match header with the ETag you last read (or *).');
  if (header === '*') return 'any';
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? [])
    .filter((tag) => !tag.startsWith('W/'))
    .map(parseEtag)
    .filter((version): version is number => version !== null);
}
