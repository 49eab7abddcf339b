import { amqpUrlsOf, commonSettings, esNodesOf, readConfig, type Logger } from '@planledger/core';
import { createRedisKeys, connectRedis } from '@planledger/core/redis';
import { createElasticClient } from '@planledger/core/elasticsearch';
import { adminSettings } from '../admin/adminSettings.js';
import type { AdminService } from '../admin/createAdminService.js';
import type { JobRecord } from '../admin/JobRecord.js';
import { openAdminService } from '../admin/openAdminService.js';
import { createProgressPrinter } from './progressPrinter.js';

export interface CliContext {
  readonly admin: AdminService;
  /** Follows a job of this process until it ends, printing progress to stdout; resolves with its end. */
  follow(job: JobRecord): Promise<JobRecord>;
  close(): Promise<void>;
}

/** The admin service of a command-line process, from the environment (the same settings as the api's). */
export function openCliContext(logger: Logger): CliContext {
  const config = readConfig({ ...commonSettings, ...adminSettings }, process.env);
  const redis = connectRedis(config, { maxRetriesPerRequest: null });
  const keys = createRedisKeys({ prefix: config.keyPrefix, partitions: config.partitions });
  const es = createElasticClient({ nodes: esNodesOf(config), requestTimeoutMs: config.esRequestTimeoutMs });
  const opened = openAdminService({ redis, keys, es, alias: config.esAlias, amqpUrls: amqpUrlsOf(config), amqpHeartbeatS: config.amqpHeartbeatS, esReplicas: config.esReplicas, amqpNamespace: config.amqpNamespace, deliveryLimit: config.deliveryLimit, leaseMs: config.adminJobLeaseMs, logger });
  const { admin } = opened;
  return {
    admin,
    async follow(job) {
      const printer = createProgressPrinter(process.stdout);
      const tick = process.stdout.isTTY ? 200 : 250;
      const timer = setInterval(() => {
        void admin.jobs.get(job.id).then((current) => current && current.state === 'running' && printer.update(current), () => undefined);
      }, tick);
      const end = await admin.jobs.settled(job.id);
      clearInterval(timer);
      printer.update(end);
      printer.finish();
      return end;
    },
    async close() {
      await opened.close();
      redis.disconnect();
      await es.close();
    },
  };
}
