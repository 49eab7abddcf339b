import test from 'ava';
import fc from 'fast-check';
import { normalisePlanDate, parsePlanDate, readPlanDate } from '../src/parsePlanDate.js';

const pad = (value: number, width: number) => String(value).padStart(width, '0');
/** A real calendar day, as year, month and day numbers (checked against the engine's own calendar). */
const aDay = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => ({ y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() }));

test('parsePlanDate › MM-DD-YYYY and YYYY-MM-DD both become YYYY-MM-DD', (t) => {
  t.is(parsePlanDate('12-12-2017'), '2017-12-12');
  t.is(parsePlanDate('06-01-2030'), '2030-06-01');
  t.is(parsePlanDate('2017-12-12'), '2017-12-12');
  t.is(parsePlanDate('01-31-0001'), '0001-01-31');
  t.is(parsePlanDate('9999-12-31'), '9999-12-31');
});

test('parsePlanDate › leap days exist only in leap years (every 4th, not every 100th, every 400th)', (t) => {
  t.is(parsePlanDate('02-29-2020'), '2020-02-29');
  t.is(parsePlanDate('2000-02-29'), '2000-02-29');
  t.is(parsePlanDate('02-29-2021'), null);
  t.is(parsePlanDate('1900-02-29'), null);
});

test('parsePlanDate › impossible calendar days are refused, each with its reason', (t) => {
  for (const value of ['02-30-2020', '04-31-2020', '13-01-2020', '00-10-2020', '01-00-2020', '01-32-2020', '2020-02-30', '2020-13-01', '0000-01-01', '01-01-0000']) {
    t.is(parsePlanDate(value), null, value);
  }
  t.deepEqual(readPlanDate('02-30-2020'), { problem: 'has day 30, but 02/2020 has days 01 to 29' });
  t.deepEqual(readPlanDate('13-01-2020'), { problem: 'has month 13; months are 01 to 12' });
  t.deepEqual(readPlanDate('0000-01-01'), { problem: 'has year 0000, which the calendar does not have' });
});

test('parsePlanDate › anything not in an accepted format is refused', (t) => {
  for (const value of ['', 'garbage', '2017-12-12T00:00:00Z', '12/12/2017', '2017-1-2', '1-2-2017', ' 2017-12-12', '2017-12-12\n', '12-2017-12', '+2017-12-12', '２０１７-12-12', '17-12-12']) {
    t.is(parsePlanDate(value), null, JSON.stringify(value));
  }
  t.deepEqual(readPlanDate('garbage'), { problem: 'is not a date as MM-DD-YYYY or YYYY-MM-DD' });
});

test('parsePlanDate › every real day round-trips from both formats to one canonical form', (t) => {
  fc.assert(fc.property(aDay, ({ y, m, d }) => {
    const canonical = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
    return parsePlanDate(`${pad(m, 2)}-${pad(d, 2)}-${pad(y, 4)}`) === canonical && parsePlanDate(canonical) === canonical;
  }));
  t.pass();
});

test('parsePlanDate › a day the calendar lacks is refused: it agrees with the engine calendar on any numbers', (t) => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), (y, m, d) => {
    const date = new Date(0);
    date.setUTCFullYear(y, m - 1, d);
    const real = m >= 1 && m <= 12 && d >= 1 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
    return (parsePlanDate(`${pad(m, 2)}-${pad(d, 2)}-${pad(y, 4)}`) !== null) === real;
  }));
  t.pass();
});

test('normalisePlanDate › a date becomes canonical; anything else becomes null', (t) => {
  t.is(normalisePlanDate('12-12-2017'), '2017-12-12');
  t.is(normalisePlanDate('2021-02-29'), null);
  t.is(normalisePlanDate(42), null);
});
