import { VERSION_RECORD_WIDTH, VERSION_TIME_OFFSET } from './versionRecords.js';

/**
 * Lua: `eventsOf(versions, log, from, to)`, a plan's events from..to (1-based, inclusive; `to`
 * past the newest means the newest), read through its version records from the partition's log:
 * one GETRANGE for the records, then XRANGE from each event's entry id (a run of entries at once
 * where the plan's events are adjacent) — time proportional to the events read, not to the log.
 * Returns the events' JSON in version order, or an error reply (a table with `err`): a record
 * whose entry is missing from the log is an error, never a silently shorter history.
 */
const EVENTS_OF = `
local function eventsOf(versionsKey, logKey, from, to)
  local width = ${VERSION_RECORD_WIDTH}
  local count = redis.call('STRLEN', versionsKey) / width
  local first = math.max(from, 1)
  local last = math.min(to, count)
  if last < first then return {} end
  local records = redis.call('GETRANGE', versionsKey, (first - 1) * width, last * width - 1)
  local ids = {}
  for i = 0, last - first do
    local ms, seq = struct.unpack('>I6I6', records, i * width + 1)
    ids[#ids + 1] = string.format('%.0f-%.0f', ms, seq)
  end
  -- A plan's events often sit next to each other in the log: read a run of entries at once, as
  -- long as they keep being this plan's; back to one at a time at the first other plan's entry
  -- (the entries read past it cost at most what the runs before earned).
  local events = {}
  local run = 1
  local i = 1
  while i <= #ids do
    local want = math.min(run, #ids - i + 1)
    local entries = redis.call('XRANGE', logKey, ids[i], '+', 'COUNT', want)
    if not entries[1] or entries[1][1] ~= ids[i] then
      return redis.error_reply('PLANLEDGER_MISSING version ' .. (first + i - 1) .. ' points at log entry ' .. ids[i] .. ', which the log does not hold')
    end
    local matched = 0
    for _, entry in ipairs(entries) do
      if entry[1] ~= ids[i] then break end
      local json = nil
      local fields = entry[2]
      for f = 1, #fields, 2 do
        if fields[f] == 'event' then
          json = fields[f + 1]
          break
        end
      end
      if not json then return redis.error_reply('PLANLEDGER_MISSING log entry ' .. entry[1] .. ' holds no event') end
      events[#events + 1] = json
      i = i + 1
      matched = matched + 1
    end
    if matched == want then run = math.min(run * 2, 128) else run = 1 end
  end
  return events
end
`;

/**
 * A plan's events from..to, in one round trip (see EVENTS_OF). Read-only (`no-writes`: it
 * may run on a replica). KEYS: versions, log. ARGV: from, to. Returns the events' JSON.
 */
export const EVENTS_SCRIPT = `#!lua flags=no-writes
${EVENTS_OF}
return eventsOf(KEYS[1], KEYS[2], tonumber(ARGV[1]), tonumber(ARGV[2]))
`;

/**
 * A plan's head, in one round trip. When it is still the head the caller holds (same version,
 * written by the same log entry): {version, position, at}. Else {version, position, at,
 * documentVersion, document, events after documentVersion…} with at most ARGV 3 events ('' for a
 * field the head lacks: an earlier release's head has no documentVersion and holds its document
 * at its version); {} when there is no head. The document is read only when it is needed.
 * KEYS: head, versions, log. ARGV: held version ('' = none), held log entry id, most events.
 */
export const HEAD_SCRIPT = `#!lua flags=no-writes
${EVENTS_OF}
local head = redis.call('HMGET', KEYS[1], 'version', 'position', 'at')
if not head[1] then return {} end
local reply = {head[1], head[2] or '', head[3] or ''}
if head[1] == ARGV[1] and head[2] == ARGV[2] then return reply end
local stored = redis.call('HMGET', KEYS[1], 'documentVersion', 'document')
reply[4] = stored[1] or ''
reply[5] = stored[2] or ''
local current = tonumber(head[1])
local from = tonumber(stored[1] or head[1])
if from < current then
  local events = eventsOf(KEYS[2], KEYS[3], from + 1, math.min(current, from + tonumber(ARGV[3])))
  if events.err then return events end
  for _, json in ipairs(events) do reply[#reply + 1] = json end
end
return reply
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
