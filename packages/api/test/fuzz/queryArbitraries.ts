import fc from 'fast-check';
import { SEARCH_FIELDS, FILTER_OPS } from '@planledger/core';
import { dateLike, hostileString } from './hostileValues.js';

/** The read routes the fuzz drives, with the query parameters each one knows. */
export const READ_ROUTES = ['plan', 'history', 'diff', 'objects', 'list', 'searchGet', 'searchPost', 'changes'] as const;
export type ReadRoute = (typeof READ_ROUTES)[number];

export const KNOWN_PARAMETERS: Readonly<Record<ReadRoute, readonly string[]>> = {
  plan: ['version', 'asOf'],
  history: ['from', 'limit'],
  diff: ['from', 'to'],
  objects: [],
  list: ['limit', 'cursor', 'org'],
  searchGet: ['q', 'sort', 'limit', 'cursor', 'include', 'consistentWith'],
  searchPost: ['q', 'sort', 'limit', 'cursor', 'include', 'consistentWith'],
  changes: ['since', 'until', 'planId', 'actor', 'type', 'path', 'limit', 'cursor', 'format', 'org'],
};

export const numberText = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 5 }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom('01', '-1', '1.0', '1e3', '', ' 1', '0x1', '9007199254740991', '9007199254740992', '999999999999999', '1000000000000000', '100', '1000', '1001', 'abc', 'NaN') },
  { weight: 1, arbitrary: fc.nat().map(String) },
);

export const timeText = fc.oneof(
  fc.constantFrom('2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-02-29T00:00:00Z', '2024-02-29T00:00:00Z', '2026-01-31T24:00:00Z', '2026-01-31T23:59:60Z', '2026-04-31T00:00:00Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-01-31', 'now', '', '2026-01-31T12:00:00+25:00'),
  fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constant('$NOW'),
);

const searchKey = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...Object.keys(SEARCH_FIELDS)), fc.oneof({ weight: 3, arbitrary: fc.constantFrom('', ...FILTER_OPS.map((op) => `[${op}]`)) }, { weight: 1, arbitrary: fc.constantFrom('[near]', '[]', '[gte', '[GTE]', '[eq][eq]') })).map(([k, op]) => `${k}${op}`) },
  { weight: 2, arbitrary: fc.constantFrom('q', 'sort', 'limit', 'cursor', 'include', 'consistentWith') },
  { weight: 1, arbitrary: fc.constantFrom('nope', '__proto__', '_org', 'constructor', 'planType.x', '') },
);

/** A value for a named parameter: plausible for that name most of the time, hostile otherwise. */
export function valueFor(key: string): fc.Arbitrary<string> {
  const base = key.replace(/\[.*$/, '');
  if (['version', 'from', 'to', 'limit'].includes(base)) return numberText;
  if (base === 'asOf' || base === 'since' || base === 'until') return timeText;
  if (base === 'type') return fc.constantFrom('created', 'patched,deleted', 'created,replaced,patched,deleted', 'renamed', '', ',', 'Created');
  if (base === 'path') return fc.oneof(fc.constantFrom('', '/', '/planType', '/linkedPlanServices/1/planserviceCostShares/copay', 'planType', '/a~2', '/~', '/__proto__'), hostileString);
  if (base === 'format') return fc.constantFrom('json', 'ndjson', 'csv', 'JSON', 'xml', '');
  if (base === 'planId') return fc.oneof(fc.constant('$ID'), hostileString);
  if (base === 'actor') return fc.constantFrom('dev-writer', 'fuzz-seed', 'nobody', '', 'x'.repeat(2000));
  if (base === 'creationDate') return fc.oneof(dateLike, hostileString);
  if (base === 'sort') return fc.constantFrom('planType', '-planType', 'creationDate,-objectId', '_score', '-_score', 'nope', 'planType,planType,planType,planType', '', ',');
  if (base === 'include') return fc.constantFrom('document', 'summary', 'DOCUMENT', '');
  if (base === 'cursor') return fc.oneof(fc.constantFrom('garbage', '', 'eyJ4IjoxfQ', 'WyJhIiwiYiJd', 'W10', 'x'.repeat(3000)), hostileString);
  if (base === 'consistentWith') return fc.constantFrom('0:0-0', '1:1-1', 'not-a-token', '99:1-1', '');
  if (base.endsWith('copay') || base.endsWith('deductible')) return fc.oneof(numberText, fc.constantFrom('cheap', '1,2', '-0', '1e400'));
  if (base === 'org') return fc.constantFrom('example.com', 'other.example', '', '*');
  return fc.oneof(hostileString, fc.constantFrom('inNetwork', 'well baby', '$ID', '1,2,3', 'true', 'false'));
}

export type QueryPair = readonly [string, string];

/** Query parameters for a route: known ones with fitting values, sometimes unknown or repeated ones. */
export function queryFor(route: ReadRoute): fc.Arbitrary<QueryPair[]> {
  const keys = route === 'searchGet' || route === 'searchPost' ? searchKey : fc.oneof({ weight: 8, arbitrary: KNOWN_PARAMETERS[route].length ? fc.constantFrom(...KNOWN_PARAMETERS[route]) : fc.constant('x') }, { weight: 1, arbitrary: fc.constantFrom('nope', 'VERSION', '__proto__', 'from[]', 'limit') });
  const pair = keys.chain((key) => valueFor(key).map((value) => [key, value] as QueryPair));
  return fc.array(pair, { maxLength: 4 });
}

/** The query string, keys and values percent-encoded except brackets in keys (as curl -g sends them) half of the time. */
export function queryText(pairs: readonly QueryPair[], rawBrackets: boolean): string {
  if (pairs.length === 0) return '';
  const key = (k: string) => (rawBrackets ? encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']') : encodeURIComponent(k));
  return `?${pairs.map(([k, v]) => `${key(k)}=${encodeURIComponent(v)}`).join('&')}`;
}
