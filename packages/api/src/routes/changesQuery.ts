import { parseJsonPointer, PLAN_EVENT_TYPES, type ChangeFilter, type PlanEventType } from '@planledger/core';
import { calendarTime, invalid, wholeNumber } from './queryParameters.js';

export type ChangesFormat = 'json' | 'ndjson' | 'csv';

/** A `/v1/changes` query as read from its parameters (the org is the router's to decide). */
export interface ChangesQuery {
  readonly filter: Omit<ChangeFilter, 'org'>;
  readonly limit: number;
  readonly cursor: string | null;
  /** Undefined when `format` is not given (the Accept header decides). */
  readonly format: ChangesFormat | undefined;
}

export const CHANGES_PARAMETERS = ['since', 'until', 'planId', 'actor', 'type', 'path', 'limit', 'cursor', 'format', 'org'] as const;
const FORMATS: readonly ChangesFormat[] = ['json', 'ndjson', 'csv'];
const MAX_TEXT = 1024;

type Query = Readonly<Record<string, string | string[] | undefined>>;

/** Reads and checks every parameter but `org`; a bad one is a 400 naming it (InvalidParameter). */
export function parseChangesQuery(query: Query): ChangesQuery {
  const since = query.since === undefined ? undefined : calendarTime('since', query.since);
  const until = query.until === undefined ? undefined : calendarTime('until', query.until);
  if (since && until && since.getTime() >= until.getTime()) throw invalid('until', `${String(query.until)} is not after since=${String(query.since)}; until is exclusive.`);
  const planId = text(query, 'planId');
  const actor = text(query, 'actor');
  const types = query.type === undefined ? undefined : typesOf(String(query.type));
  const path = query.path === undefined ? undefined : pointerOf(String(query.path));
  const limit = query.limit === undefined ? 100 : wholeNumber('limit', query.limit, { min: 1, max: 1000 });
  const cursor = query.cursor === undefined ? null : String(query.cursor);
  const format = query.format === undefined ? undefined : formatOf(String(query.format));
  return {
    filter: { ...(since ? { since } : {}), ...(until ? { until } : {}), ...(planId ? { planId } : {}), ...(actor ? { actor } : {}), ...(types ? { types } : {}), ...(path ? { path } : {}) },
    limit,
    cursor,
    format,
  };
}

function text(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '' || value.length > MAX_TEXT) throw invalid(name, `must be 1 to ${MAX_TEXT} characters.`);
  return value;
}

function typesOf(value: string): PlanEventType[] {
  const types = value.split(',');
  const unknown = types.filter((type) => !(PLAN_EVENT_TYPES as readonly string[]).includes(type));
  if (unknown.length > 0) throw invalid('type', `${unknown.map((type) => `'${type.slice(0, 40)}'`).join(', ')} is not an event type; give a comma-separated list of ${PLAN_EVENT_TYPES.join(', ')}.`);
  return types as PlanEventType[];
}

function pointerOf(value: string): readonly string[] {
  if (value.length > MAX_TEXT) throw invalid('path', `must be at most ${MAX_TEXT} characters.`);
  const parsed = parseJsonPointer(value);
  if (!parsed.ok) throw invalid('path', `${parsed.reason.slice(0, 200)}, e.g. /linkedPlanServices/0/planserviceCostShares/copay.`);
  return parsed.segments;
}

function formatOf(value: string): ChangesFormat {
  if (!(FORMATS as readonly string[]).includes(value)) throw invalid('format', `'${value.slice(0, 40)}' is not one of ${FORMATS.join(', ')}.`);
  return value as ChangesFormat;
}

