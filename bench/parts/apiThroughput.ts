import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aPlan } from '../../packages/core/test/planMother.js';
import { freePort, startStack } from '../../packages/api/test/stackProcesses.js';
import type { BenchPart } from '../benchContext.js';
import { BENCH_STACK_ENV, benchApi, copayPatchLoad, getLoad, inParallel, postLoad } from '../benchApi.js';
import type { Figure } from '../figureTable.js';
import { loadRun, type LoadFigures } from '../loadRun.js';
import { rawXaddRate } from '../rawXaddRate.js';

const SEED_PLANS = 1_000;
const ratioFigure = (figure: string, run: LoadFigures, limit: number, what: string, target: number): Figure => ({
  figure,
  measured: run.rps,
  unit: 'req/s',
  limit: { value: limit, unit: 'req/s', what },
  ratio: run.rps / limit,
  target: `≥ ${target * 100}%`,
  met: run.rps / limit >= target,
  details: { ...run },
});

/**
 * Api-only throughput (relay and projector not running) beside its limits in the same run: POST
 * and one-field PATCH against raw durable XADD of the same log entry, GET by id against a bare Koa
 * handler returning the same bytes.
 */
export const apiThroughput: BenchPart = async ({ redis, sizes, say }) => {
  const stack = await startStack({ ...BENCH_STACK_ENV });
  try {
    await stack.kill('relay', 'SIGTERM');
    await stack.kill('projector', 'SIGTERM');
    const api = await benchApi(stack);
    const { connections, seconds: duration } = sizes;
    const seed = Array.from({ length: SEED_PLANS }, () => aPlan());
    const acks: (string | null)[] = [];
    await inParallel(seed, 16, async (plan, i) => void (acks[i] = (await api.post(plan)).token));
    const patched = await api.patchCopay(seed[0]!.objectId, 42);
    const postEntry = await api.logEntry(redis, acks[0] ?? '');
    const patchEntry = await api.logEntry(redis, patched.token ?? '');
    const xaddKey = `${stack.env.KEY_PREFIX}:{p0}:bench-xadd`;
    say(`raw durable XADD, ${connections} connections: the POST entry (${postEntry.join('').length} bytes), the PATCH entry (${patchEntry.join('').length} bytes)`);
    const xaddPost = await rawXaddRate(stack.env.REDIS_URL ?? '', xaddKey, postEntry, { connections, requests: sizes.xadds });
    const xaddPatch = await rawXaddRate(stack.env.REDIS_URL ?? '', xaddKey, patchEntry, { connections, requests: sizes.xadds });

    say(`api POST, PATCH, GET by id: ${connections} connections, ${duration} s each`);
    const post = await loadRun({ ...postLoad(api), connections, duration });
    const patch = await loadRun({ ...copayPatchLoad(api, seed), connections, duration });
    const get = await loadRun({ ...getLoad(api, seed), connections, duration });
    const sample = Buffer.from(await (await fetch(`${stack.baseUrl}/v1/plans/${seed[1]!.objectId}`, { headers: { authorization: api.writer } })).arrayBuffer());
    const bare = await bareKoaRate(sample, { connections, duration, workers: stack.env.API_WORKERS ?? '1' });
    return [
      { ...ratioFigure('api-only durable POST, 64 conn', post, xaddPost.rps, `raw durable XADD of the entry, ${xaddPost.tool}`, 0.25) },
      { ...ratioFigure('api-only one-field PATCH, 64 conn', patch, xaddPatch.rps, `raw durable XADD of the entry, ${xaddPatch.tool}`, 0.25) },
      { ...ratioFigure(`GET by id (${sample.length}-byte plan), 64 conn`, get, bare.rps, 'bare Koa, same bytes and processes', 0.35), details: { get, bare } },
    ];
  } finally {
    await stack.stop();
  }
};

/** A bare Koa handler in its own process (or as many as the api runs) answering every request with `body`, under autocannon. */
async function bareKoaRate(body: Buffer, { connections, duration, workers }: { connections: number; duration: number; workers: string }): Promise<LoadFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'planledger-bench-'));
  const bodyFile = join(dir, 'body.json');
  writeFileSync(bodyFile, body);
  const port = await freePort();
  const script = fileURLToPath(new URL('../bareKoaServer.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, BODY_FILE: bodyFile, PORT: String(port), API_WORKERS: workers }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await once(child.stdout, 'data');
    return await loadRun({ url: `http://127.0.0.1:${port}/v1/plans/x`, connections, duration });
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}
