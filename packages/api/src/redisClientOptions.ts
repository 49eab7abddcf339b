import type { RedisOptions } from 'ioredis';

/**
 * The api's ioredis options: every command answers or fails within `commandTimeoutMs`, so no
 * request waits on a silent Redis, and a connection that stays silent that long with commands
 * pending is dropped and made again (its later replies could no longer be matched to its
 * commands). Commands in flight on a lost connection are not sent again: an append resent after
 * it ran would read as a version conflict, a refusal of a write that landed. They time out
 * instead, and the append's outcome is unknown (503 `write-outcome-unknown`).
 */
export function apiRedisOptions(commandTimeoutMs: number): RedisOptions {
  return {
    maxRetriesPerRequest: 2,
    commandTimeout: commandTimeoutMs,
    socketTimeout: commandTimeoutMs,
    connectTimeout: commandTimeoutMs,
    autoResendUnfulfilledCommands: false,
  };
}
