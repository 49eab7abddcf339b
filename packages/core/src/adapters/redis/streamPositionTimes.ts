import type { PositionTimes } from '../../createChangeFeed.js';

/** Redis stream ids are `<ms>-<seq>`: the millisecond Redis appended the entry, then a sequence. */
export const STREAM_POSITION_TIMES: PositionTimes = {
  before: (ms) => (ms <= 0 ? null : `${Math.floor(ms) - 1}-18446744073709551615`),
  msOf: (position) => Number(position.slice(0, position.indexOf('-'))),
};
