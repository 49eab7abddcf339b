import type { Client } from '@elastic/elasticsearch';
import type { Redis } from 'ioredis';
import type { EventLog } from '@planledger/core';
import type { RedisKeys } from '@planledger/core/redis';
import type { ProjectionName } from '@planledger/core/rabbitmq';

/** What the admin operations on a projection (rebuild, verify) work with. */
export interface ProjectionContext {
  readonly projection: ProjectionName;
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly log: EventLog;
  readonly es: Client;
  /** The alias of the search index. */
  readonly alias: string;
}
