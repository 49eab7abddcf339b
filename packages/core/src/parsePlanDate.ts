/** The date formats a plan's `creationDate` may be written in (see planSchema.ts). */
export const PLAN_DATE_FORMATS = Object.freeze(['MM-DD-YYYY', 'YYYY-MM-DD'] as const);

const MONTH_FIRST = /^(\d{2})-(\d{2})-(\d{4})$/;
const YEAR_FIRST = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export type PlanDateResult = { readonly date: string } | { readonly problem: string };

/**
 * Reads a date written in one of PLAN_DATE_FORMATS ("12-12-2017" or "2017-12-12") as its
 * canonical `YYYY-MM-DD` form, refusing days the Gregorian calendar does not have (02-30-2020,
 * 02-29-2021, month 13, day 00, year 0000). Pure: no Date, no time zone.
 */
export function readPlanDate(value: string): PlanDateResult {
  const monthFirst = MONTH_FIRST.exec(value);
  const yearFirst = monthFirst ? null : YEAR_FIRST.exec(value);
  const [year, month, day] = monthFirst ? [monthFirst[3], monthFirst[1], monthFirst[2]] : yearFirst ? [yearFirst[1], yearFirst[2], yearFirst[3]] : [];
  if (year === undefined || month === undefined || day === undefined) return { problem: `is not a date as ${PLAN_DATE_FORMATS.join(' or ')}` };
  const [y, m, d] = [Number(year), Number(month), Number(day)];
  if (y < 1) return { problem: 'has year 0000, which the calendar does not have' };
  if (m < 1 || m > 12) return { problem: `has month ${month}; months are 01 to 12` };
  const days = m === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[m - 1]!;
  if (d < 1 || d > days) return { problem: `has day ${day}, but ${month}/${year} has days 01 to ${days}` };
  return { date: `${year}-${month}-${day}` };
}

/** The canonical `YYYY-MM-DD` form of a date in one of PLAN_DATE_FORMATS, or null when it is none. */
export function parsePlanDate(value: string): string | null {
  const result = readPlanDate(value);
  return 'date' in result ? result.date : null;
}

/**
 * What the search index stores for a date field: the canonical form when the value is a date,
 * else null, so the plan has no searchable date. Only a plan stored before impossible days were
 * refused holds one; Elasticsearch must not see it, since it would read 2021-02-29 as 2021-03-01.
 */
export function normalisePlanDate(value: unknown): string | null {
  return typeof value === 'string' ? parsePlanDate(value) : null;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
