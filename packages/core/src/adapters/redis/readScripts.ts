import { VERSION_RECORD_WIDTH, VERSION_TIME_OFFSET } from './versionRecords.js';

/**
 * A plan's events from..to (1-based, inclusive; `to` past the newest means the newest), read
 * through its version records from the partition's log in one round trip: one GETRANGE for the
 * records, then `XRANGE id id` per event — time proportional to the events read, not to the log.
 * Read-only (`no-writes`: it may run on a replica). A record whose entry is missing from the log
 * is an error, never a silently shorter history.
 * KEYS: versions, log. ARGV: from, to. Returns the events' JSON, in version order.
 */
export const EVENTS_SCRIPT = `#!lua flags=no-writes
local width = ${VERSION_RECORD_WIDTH}
local count = redis.call('STRLEN', KEYS[1]) / width
local first = math.max(tonumber(ARGV[1]), 1)
local last = math.min(tonumber(ARGV[2]), count)
if last < first then return {} end
local records = redis.call('GETRANGE', KEYS[1], (first - 1) * width, last * width - 1)
local events = {}
for i = 0, last - first do
  local ms, seq = struct.unpack('>I6I6', records, i * width + 1)
  local id = string.format('%.0f-%.0f', ms, seq)
  local entry = redis.call('XRANGE', KEYS[2], id, id)[1]
  if not entry then return redis.error_reply('PLANLEDGER_MISSING version ' .. (first + i) .. ' points at log entry ' .. id .. ', which the log does not hold') end
  local fields = entry[2]
  local json = nil
  for f = 1, #fields, 2 do
    if fields[f] == 'event' then json = fields[f + 1] end
  end
  if not json then return redis.error_reply('PLANLEDGER_MISSING log entry ' .. id .. ' holds no event') end
  events[#events + 1] = json
end
return events
`;

/**
 * The plan's version at a time: the newest version whose record's time is ≤ the time (0 if
 * none), by binary search over the records (one GETRANGE of 6 bytes per probe; O(log n)).
 * KEYS: versions. ARGV: time (ms).
 */
export const VERSION_AT_SCRIPT = `#!lua flags=no-writes
local width = ${VERSION_RECORD_WIDTH}
local t = tonumber(ARGV[1])
local low, high = 0, redis.call('STRLEN', KEYS[1]) / width
while low < high do
  local mid = math.floor((low + high + 1) / 2)
  local at = struct.unpack('>I6', redis.call('GETRANGE', KEYS[1], (mid - 1) * width + ${VERSION_TIME_OFFSET}, mid * width - 1))
  if at <= t then low = mid else high = mid - 1 end
end
return low
`;
