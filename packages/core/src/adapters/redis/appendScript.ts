/**
 * The atomic append. Redis runs a script as one unit and writes its effects to the AOF as one
 * transaction, so a crash leaves all of it or none:
 *  1. with an idempotency key already used: return its record, change nothing;
 *  2. check the expected version;
 *  3. append the event to the partition's log and to the plan's history; index its time;
 *  4. move the head (version, document, org, time); every K versions keep a snapshot;
 *  5. with an idempotency key: remember the outcome for its TTL.
 *
 * KEYS: log, head, history, times, snapshots, idempotency (all in the plan's hash slot).
 * ARGV: expected version, event JSON, document JSON ('' = deleted), plan key (org/objectId), new version,
 *       time (ms), org, snapshot interval K, idempotency fingerprint ('' = none), TTL (s),
 *       time-index member (zero-padded version), partition.
 * Returns {1, log entry id} | {0, current version} | {2, idempotency record JSON}.
 */
export const APPEND_SCRIPT = `
if ARGV[9] ~= '' then
  local prior = redis.call('GET', KEYS[6])
  if prior then return {2, prior} end
end
local current = tonumber(redis.call('HGET', KEYS[2], 'version') or '0')
if current ~= tonumber(ARGV[1]) then
  return {0, current}
end
local id = redis.call('XADD', KEYS[1], '*', 'plan', ARGV[4], 'version', ARGV[5], 'event', ARGV[2])
redis.call('RPUSH', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[11])
redis.call('HSET', KEYS[2], 'version', ARGV[5], 'document', ARGV[3], 'org', ARGV[7], 'at', ARGV[6])
if tonumber(ARGV[5]) % tonumber(ARGV[8]) == 0 then
  redis.call('HSET', KEYS[5], ARGV[5], ARGV[3])
end
if ARGV[9] ~= '' then
  redis.call('SET', KEYS[6], cjson.encode({fingerprint = ARGV[9], version = tonumber(ARGV[5]), position = id, partition = tonumber(ARGV[12])}), 'EX', ARGV[10])
end
return {1, id}
`;
