import type { RedisClient } from '@planledger/core/redis';
import type { JobRecord } from './JobRecord.js';
import type { JobStore } from './JobStore.js';

/** How many jobs are kept; older ones are removed when a new one is claimed. */
const KEPT_JOBS = 500;

/** KEYS: lock, job, index. ARGV: id, json, leaseMs, score, kept. Returns false when taken, else the holder. */
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[3]) then
  redis.call('SET', KEYS[2], ARGV[2])
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
  local old = redis.call('ZRANGE', KEYS[3], 0, -tonumber(ARGV[5]) - 1)
  for _, id in ipairs(old) do redis.call('DEL', (string.gsub(KEYS[2], '[^:]*$', id, 1))) end
  redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -tonumber(ARGV[5]) - 1)
  return false
end
return redis.call('GET', KEYS[1])
`;

/** KEYS: lock, job. ARGV: id, json, leaseMs. */
const HEARTBEAT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SET', KEYS[2], ARGV[2])
return 1
`;

/** KEYS: lock, job. ARGV: id, json. */
const FINISH = `
redis.call('SET', KEYS[2], ARGV[2])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

/** KEYS: job. ARGV: heartbeatAt seen, json. */
const MARK_INTERRUPTED = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local job = cjson.decode(current)
if job.state ~= 'running' or job.heartbeatAt ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

interface WithJobScripts {
  planledgerJobClaim(lock: string, job: string, index: string, id: string, json: string, leaseMs: string, score: string, kept: string): Promise<string | null>;
  planledgerJobHeartbeat(lock: string, job: string, id: string, json: string, leaseMs: string): Promise<number>;
  planledgerJobFinish(lock: string, job: string, id: string, json: string): Promise<number>;
  planledgerJobMarkInterrupted(job: string, heartbeatAt: string, json: string): Promise<number>;
}

/**
 * Jobs in Redis, every key under `<prefix>:{admin}:` (one hash slot, so each step is one atomic
 * script even on Redis Cluster): `job:<id>` (the record as JSON), `jobs` (ids by start time),
 * `job-lock:<projection>` (the running job's id, with a lease the heartbeat renews) and
 * `job-cancel:<id>` (a cancel asked for by another process).
 */
export class RedisJobStore implements JobStore {
  private readonly redis: RedisClient & WithJobScripts;
  private readonly base: string;

  constructor(redis: RedisClient, prefix: string) {
    redis.defineCommand('planledgerJobClaim', { numberOfKeys: 3, lua: CLAIM });
    redis.defineCommand('planledgerJobHeartbeat', { numberOfKeys: 2, lua: HEARTBEAT });
    redis.defineCommand('planledgerJobFinish', { numberOfKeys: 2, lua: FINISH });
    redis.defineCommand('planledgerJobMarkInterrupted', { numberOfKeys: 1, lua: MARK_INTERRUPTED });
    this.redis = redis as RedisClient & WithJobScripts;
    this.base = `${prefix}:{admin}`;
  }

  private job(id: string): string {
    return `${this.base}:job:${id}`;
  }

  private lock(projection: string): string {
    return `${this.base}:job-lock:${projection}`;
  }

  async claim(job: JobRecord, leaseMs: number): Promise<string | null> {
    return this.redis.planledgerJobClaim(this.lock(job.projection), this.job(job.id), `${this.base}:jobs`, job.id, JSON.stringify(job), String(leaseMs), String(Date.parse(job.startedAt)), String(KEPT_JOBS));
  }

  async heartbeat(job: JobRecord, leaseMs: number): Promise<boolean> {
    return (await this.redis.planledgerJobHeartbeat(this.lock(job.projection), this.job(job.id), job.id, JSON.stringify(job), String(leaseMs))) === 1;
  }

  async finish(job: JobRecord): Promise<void> {
    await this.redis.planledgerJobFinish(this.lock(job.projection), this.job(job.id), job.id, JSON.stringify(job));
    await this.redis.del(`${this.base}:job-cancel:${job.id}`);
  }

  async markInterrupted(job: JobRecord, heartbeatAt: string): Promise<boolean> {
    return (await this.redis.planledgerJobMarkInterrupted(this.job(job.id), heartbeatAt, JSON.stringify(job))) === 1;
  }

  async get(id: string): Promise<JobRecord | null> {
    const json = await this.redis.get(this.job(id));
    return json === null ? null : (JSON.parse(json) as JobRecord);
  }

  async list({ projection, limit }: { projection?: string; limit: number }): Promise<JobRecord[]> {
    const ids = await this.redis.zrevrange(`${this.base}:jobs`, 0, KEPT_JOBS - 1);
    const jobs: JobRecord[] = [];
    for (let i = 0; i < ids.length && jobs.length < limit; i += 100) {
      const jsons = await this.redis.mget(...ids.slice(i, i + 100).map((id) => this.job(id)));
      for (const json of jsons) {
        const job = json === null ? null : (JSON.parse(json) as JobRecord);
        if (job && (projection === undefined || job.projection === projection) && jobs.length < limit) jobs.push(job);
      }
    }
    return jobs;
  }

  async holder(projection: string): Promise<string | null> {
    return this.redis.get(this.lock(projection));
  }

  async requestCancel(id: string): Promise<void> {
    await this.redis.set(`${this.base}:job-cancel:${id}`, '1', 'EX', 86_400);
  }

  async cancelRequested(id: string): Promise<boolean> {
    return (await this.redis.exists(`${this.base}:job-cancel:${id}`)) === 1;
  }
}
