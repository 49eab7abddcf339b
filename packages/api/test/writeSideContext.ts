import { createRedisKeys, RedisEventLog, RedisPartitionLog, STREAM_POSITION_TIMES, type RedisClient, type RedisKeys, type ReplicaAcks } from '@planledger/core/redis';
import { startTestIdp, type TestIdp } from '../../idp/test/startTestIdp.js';
import { connectTestRedis, deleteKeys, randomPrefix, TEST_REPLICA_ACKS } from '../../core/test/redisTestContext.js';
import { apiClient, type ApiClient } from './apiClient.js';
import { startSecuredApi, type SecuredApiParts } from './authTestContext.js';

export interface WriteSide {
  readonly log: RedisEventLog;
  readonly keys: RedisKeys;
  /** The identity provider's issuer, for tokens of other clients or with other claims. */
  readonly issuer: string;
  /** Where the identity provider keeps its signing key (to sign tokens with claims it does not issue). */
  readonly idpDataDir: string;
  readonly baseUrl: string;
  readonly writer: ApiClient;
  readonly reader: ApiClient;
  readonly auditor: ApiClient;
  readonly other: ApiClient;
  readonly admin: ApiClient;
  stop(): Promise<void>;
}

/**
 * The api over the real Redis log (AOF), secured by a real identity provider, with a client per
 * dev role; its search is `search` when given (else an alias nothing writes to).
 */
export interface WriteSideOptions extends Pick<SecuredApiParts, 'limits' | 'search'> {
  /** The log's Redis (the tests' one by default); the write side disconnects it when it stops. */
  readonly redis?: RedisClient;
  /** Replica confirmations an append waits for (by default one on a cluster, none on one server). */
  readonly replicaAcks?: ReplicaAcks;
}

export async function startWriteSide({ limits, search, redis = connectTestRedis(), replicaAcks = TEST_REPLICA_ACKS }: WriteSideOptions = {}): Promise<WriteSide> {
  const idp: TestIdp = await startTestIdp();
  const prefix = randomPrefix('writes');
  const keys = createRedisKeys({ prefix, partitions: 4 });
  const log = new RedisEventLog(redis, keys, { snapshotEvery: 10, replicaAcks });
  const api = await startSecuredApi(idp.idp.issuer, { log, partitions: new RedisPartitionLog(redis, keys), positionTimes: STREAM_POSITION_TIMES, ...(limits ? { limits } : {}), ...(search ? { search } : {}) });
  const client = (name: string) => apiClient(api.baseUrl, idp.idp.issuer, name);
  const [writer, reader, auditor, other, admin] = await Promise.all(['dev-writer', 'dev-reader', 'dev-auditor', 'dev-other', 'dev-admin'].map(client));
  return {
    log,
    keys,
    issuer: idp.idp.issuer,
    idpDataDir: idp.dataDir,
    baseUrl: api.baseUrl,
    writer: writer!,
    reader: reader!,
    auditor: auditor!,
    other: other!,
    admin: admin!,
    async stop() {
      api.server.close();
      await idp.stop();
      await deleteKeys(redis, prefix);
      redis.disconnect();
    },
  };
}
