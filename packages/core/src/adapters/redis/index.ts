export { createRedisKeys, HEAD_MARKER, type RedisKeys } from './redisKeys.js';
export { RedisEventLog } from './RedisEventLog.js';
export { assertDurableRedis } from './assertDurableRedis.js';
export { APPEND_SCRIPT } from './appendScript.js';
export { VERSION_RECORD_WIDTH } from './versionRecords.js';
export { RedisProjectionState } from './RedisProjectionState.js';
export { RedisPlanDirectory } from './RedisPlanDirectory.js';
export { RedisPartitionLog } from './RedisPartitionLog.js';
export { failOnError } from './failOnError.js';
