/**
 * A bare Koa handler answering every request with the same bytes (the limit GET by id is divided
 * by). Spawned by the ratio bench as its own process: `BODY_FILE` holds the bytes, `PORT` the port,
 * `API_WORKERS` how many processes share the port, as the api's worker pool does (0: one per core).
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import Koa from 'koa';
import { workerCount } from '../packages/api/src/workerPool.js';

const workers = workerCount(Number(process.env.API_WORKERS ?? 1));
if (workers > 1 && cluster.isPrimary) {
  cluster.schedulingPolicy = cluster.SCHED_NONE; // as the api's pool
  let listening = 0;
  cluster.on('listening', () => ++listening === workers && process.stdout.write('listening\n'));
  for (let i = 0; i < workers; i += 1) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const body = readFileSync(process.env.BODY_FILE ?? '');
  const app = new Koa();
  app.use((ctx) => {
    ctx.type = 'application/json';
    ctx.body = body;
  });
  app.listen(Number(process.env.PORT), '127.0.0.1', () => cluster.isWorker || process.stdout.write('listening\n'));
  process.on('SIGTERM', () => process.exit(0));
}
