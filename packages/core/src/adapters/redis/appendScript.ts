/**
 * The atomic append: check the expected version, append the event to the partition's log and to
 * the plan's history, move the head. Redis runs a script as one unit and writes it to the AOF as
 * one transaction, so a crash leaves all of it or none.
 *
 * KEYS: log, head, history. ARGV: expected version, event JSON, document JSON ('' = deleted),
 * plan id, new version. Returns {1, log entry id} or {0, current version}.
 */
export const APPEND_SCRIPT = `
local current = tonumber(redis.call('HGET', KEYS[2], 'version') or '0')
if current ~= tonumber(ARGV[1]) then
  return {0, current}
end
local id = redis.call('XADD', KEYS[1], '*', 'planId', ARGV[4], 'version', ARGV[5], 'event', ARGV[2])
redis.call('RPUSH', KEYS[3], ARGV[2])
redis.call('HSET', KEYS[2], 'version', ARGV[5], 'document', ARGV[3])
return {1, id}
`;
