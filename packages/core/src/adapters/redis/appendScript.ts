import { VERSION_RECORD_FORMAT, VERSION_RECORD_WIDTH, VERSION_TIME_OFFSET } from './versionRecords.js';

/**
 * The atomic append. Redis runs a script as one unit and writes its effects to the AOF as one
 * transaction, so a crash leaves all of it or none. Every check comes before the first write
 * (Redis does not undo a script's writes when it fails midway):
 *  1. with an idempotency key already used: return its record (written again as it is, so a
 *     WAIT after the script confirms the replicas hold it), change nothing else;
 *  2. check the expected version, and that the plan's version records cover exactly its versions
 *     (a log of an older layout has none: it must be copied with `npm run relayout` first);
 *  3. append the event, once, to the partition's log (one field, `event`); append its record
 *     (log entry id, time) to the plan's version records (see versionRecords.ts);
 *  4. move the head (version, org, time, log entry id) and, when the caller sends it, its
 *     document (at the new version); else the head keeps the document it holds, at an earlier
 *     version, and readers fold the events after it (RedisEventLog.head). A caller that keeps the
 *     head's document names the head it read by its log entry id: another one (a log written again
 *     under the same keys) is a conflict. Keep the snapshot when one is given;
 *  5. with an idempotency key: remember the outcome for its TTL.
 *
 * KEYS: log, head, versions, snapshots, idempotency (all in the plan's hash slot).
 * ARGV: expected version, event JSON, document JSON ('' = deleted), new version, time (ms), org,
 *       snapshot to keep at the new version ('' = none; its encoding is RedisEventLog's),
 *       idempotency fingerprint ('' = none), TTL (s), partition,
 *       the document to keep: '' = the one sent (ARGV 3), '0' = none (readers fold from the
 *       start), 'keep' = the head's own, if the head's log entry id is ARGV 12.
 * Returns {1, log entry id} | {0, current version} | {2, idempotency record JSON}, or the error
 * `PLANLEDGER_LAYOUT …` (nothing written).
 */
export const APPEND_SCRIPT = `
local width = ${VERSION_RECORD_WIDTH}
if ARGV[8] ~= '' then
  local prior = redis.call('GET', KEYS[5])
  -- Written again as it is (TTL kept), so a WAIT after a replay confirms the outcome it hands out.
  if prior then
    redis.call('SET', KEYS[5], prior, 'KEEPTTL')
    return {2, prior}
  end
end
local current = tonumber(redis.call('HGET', KEYS[2], 'version') or '0')
if current ~= tonumber(ARGV[1]) then
  return {0, current}
end
if ARGV[11] == 'keep' and redis.call('HGET', KEYS[2], 'position') ~= ARGV[12] then
  return {0, current}
end
if redis.call('STRLEN', KEYS[3]) ~= current * width then
  return redis.error_reply('PLANLEDGER_LAYOUT the plan has ' .. current .. ' versions but not as many version records: copy the log into this layout with npm run relayout')
end
local at = tonumber(ARGV[5])
if current > 0 then
  local last = struct.unpack('>I6', redis.call('GETRANGE', KEYS[3], (current - 1) * width + ${VERSION_TIME_OFFSET}, current * width - 1))
  if last > at then at = last end
end
local id = redis.call('XADD', KEYS[1], '*', 'event', ARGV[2])
local ms, seq = string.match(id, '^(%d+)-(%d+)$')
redis.call('APPEND', KEYS[3], struct.pack('${VERSION_RECORD_FORMAT}', tonumber(ms), tonumber(seq), at))
redis.call('HSET', KEYS[2], 'version', ARGV[4], 'org', ARGV[6], 'at', ARGV[5], 'position', id)
if ARGV[11] == '' then
  redis.call('HSET', KEYS[2], 'document', ARGV[3], 'documentVersion', ARGV[4])
elseif ARGV[11] == '0' then
  redis.call('HSET', KEYS[2], 'document', '', 'documentVersion', '0')
end
if ARGV[7] ~= '' then
  redis.call('HSET', KEYS[4], ARGV[4], ARGV[7])
end
if ARGV[8] ~= '' then
  redis.call('SET', KEYS[5], cjson.encode({fingerprint = ARGV[8], version = tonumber(ARGV[4]), position = id, partition = tonumber(ARGV[10])}), 'EX', ARGV[9])
end
return {1, id}
`;
