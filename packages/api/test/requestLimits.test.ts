import test from 'ava';
import { readConfig } from '@planledger/core';
import { apiSettings } from '../src/config.js';
import { DEFAULT_REQUEST_LIMITS, resolveRequestLimits } from '../src/requestLimits.js';

test('request limits › the defaults, overridden one by one', (t) => {
  t.deepEqual(resolveRequestLimits(), { maxJsonDepth: 32, maxBodyBytes: 1_048_576, maxArrayLength: 10_000, maxPatchOperations: 1_000, maxQueryLength: 4096 });
  t.deepEqual(resolveRequestLimits({ maxJsonDepth: 64 }), { ...DEFAULT_REQUEST_LIMITS, maxJsonDepth: 64 });
});

test('request limits › a limit below 1 or not whole is refused when the app is built', (t) => {
  t.throws(() => resolveRequestLimits({ maxArrayLength: 0 }), { message: /maxArrayLength must be a whole number of at least 1, not 0/ });
  t.throws(() => resolveRequestLimits({ maxQueryLength: 1.5 }), { message: /maxQueryLength/ });
});

test('request limits › each is a named setting with the same default', (t) => {
  const config = readConfig(apiSettings, {});
  t.deepEqual(
    { maxJsonDepth: config.maxJsonDepth, maxBodyBytes: config.maxBodyBytes, maxArrayLength: config.maxArrayLength, maxPatchOperations: config.maxPatchOperations, maxQueryLength: config.maxQueryLength },
    DEFAULT_REQUEST_LIMITS,
  );
  const env = { MAX_JSON_DEPTH: '16', MAX_BODY_BYTES: '2048', MAX_ARRAY_LENGTH: '100', MAX_PATCH_OPERATIONS: '10', MAX_QUERY_LENGTH: '512' };
  const read = readConfig(apiSettings, env);
  t.deepEqual([read.maxJsonDepth, read.maxBodyBytes, read.maxArrayLength, read.maxPatchOperations, read.maxQueryLength], [16, 2048, 100, 10, 512]);
});
