import { VERSION_RECORD_WIDTH, VERSION_TIME_OFFSET } from './versionRecords.js';

/**
 * A plan's events from..to (1-based, inclusive; `to` past the newest means the newest), read
 * through its version records from the partition's log in one round trip: one GETRANGE for the
 * records, then XRANGE from each event's entry id (a run of entries at once where the plan's
 * events are adjacent) — time proportional to the events read, not to the log.
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
local ids = {}
for i = 0, last - first do
  local ms, seq = struct.unpack('>I6I6', records, i * width + 1)
  ids[#ids + 1] = string.format('%.0f-%.0f', ms, seq)
end
local function eventOf(entry)
  local fields = entry[2]
  for f = 1, #fields, 2 do
    if fields[f] == 'event' then return fields[f + 1] end
  end
  return redis.error_reply('PLANLEDGER_MISSING log entry ' .. entry[1] .. ' holds no event')
end
-- A plan's events often sit next to each other in the log: read a run of entries at once, as
-- long as they keep being this plan's; back to one at a time at the first other plan's entry
-- (the entries read past it cost at most what the runs before earned).
local events = {}
local run = 1
local i = 1
while i <= #ids do
  local want = math.min(run, #ids - i + 1)
  local entries = redis.call('XRANGE', KEYS[2], ids[i], '+', 'COUNT', want)
  if not entries[1] or entries[1][1] ~= ids[i] then
    return redis.error_reply('PLANLEDGER_MISSING version ' .. (first + i - 1) .. ' points at log entry ' .. ids[i] .. ', which the log does not hold')
  end
  local matched = 0
  for _, entry in ipairs(entries) do
    if entry[1] ~= ids[i] then break end
    local json = eventOf(entry)
    if type(json) ~= 'string' then return json end
    events[#events + 1] = json
    i = i + 1
    matched = matched + 1
  end
  if matched == want then run = math.min(run * 2, 128) else run = 1 end
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
