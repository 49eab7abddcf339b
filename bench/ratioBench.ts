/**
 * `npm run bench`: each figure of the write and read paths beside its physical limit, measured in
 * the same run on this machine (absolute numbers drift on shared machines; ratios hold). Prints
 * one markdown table and writes it as JSON under .data/bench/. Asserts nothing.
 *
 * Sizes: BENCH_SCALE (default 1; 0.1 for a quick run) and the BENCH_* variables of benchSizes.ts.
 * BENCH_PARTS=apiThroughput,redisBytes,… runs only some parts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { connectTestElastic } from '../packages/core/test/elasticTestContext.js';
import { TEST_REDIS_URL } from '../packages/core/test/redisTestContext.js';
import type { BenchPart } from './benchContext.js';
import { readBenchSizes } from './benchSizes.js';
import { markdownTable, type Figure } from './figureTable.js';
import { apiThroughput } from './parts/apiThroughput.js';
import { asofSearch } from './parts/asofSearch.js';
import { cpuPerWrite } from './parts/cpuPerWrite.js';
import { documentsPerPatch } from './parts/documentsPerPatch.js';
import { historyAndRebuild } from './parts/historyAndRebuild.js';
import { redisBytes } from './parts/redisBytes.js';
import { projectorScaling } from './parts/projectorScaling.js';
import { searchableLag } from './parts/searchableLag.js';

const PARTS: Record<string, { part: BenchPart; figures: string[] }> = {
  apiThroughput: { part: apiThroughput, figures: ['api-only durable POST', 'api-only one-field PATCH', 'GET by id'] },
  cpuPerWrite: { part: cpuPerWrite, figures: ['end-to-end CPU per POST', 'end-to-end CPU per one-field PATCH'] },
  documentsPerPatch: { part: documentsPerPatch, figures: ['Elasticsearch documents written per one-field PATCH'] },
  historyAndRebuild: { part: historyAndRebuild, figures: ['time travel ?version=N p99', 'time travel ?asOf= p99', 'full search rebuild'] },
  searchableLag: { part: searchableLag, figures: ['searchable lag p99, one plan'] },
  redisBytes: { part: redisBytes, figures: ['Redis bytes per event, one-field PATCHes'] },
  asofSearch: { part: asofSearch, figures: ['asOf search p50', 'asOf search p99', 'search index bytes per plan', 'temporal index bytes per event'] },
  projectorScaling: { part: projectorScaling, figures: ['projector catch-up, 2 instances ÷ 1'] },
};
const ORDER = ['apiThroughput', 'cpuPerWrite', 'documentsPerPatch', 'historyAndRebuild', 'searchableLag', 'redisBytes', 'asofSearch', 'projectorScaling'];

const sizes = readBenchSizes(process.env);
const chosen = (process.env.BENCH_PARTS ?? ORDER.join(',')).split(',').map((name) => name.trim()).filter(Boolean);
const unknown = chosen.filter((name) => !PARTS[name]);
if (unknown.length > 0) throw new Error(`unknown BENCH_PARTS ${unknown.join(', ')}; known: ${ORDER.join(', ')}`);

const redis = new Redis(TEST_REDIS_URL);
const es = connectTestElastic();
const started = Date.now();
const say = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const figures: Figure[] = [];
try {
  say(`ratio bench, scale ${sizes.scale} (${JSON.stringify(sizes)})`);
  for (const name of chosen) {
    const { part, figures: names } = PARTS[name]!;
    say(`part ${name}`);
    try {
      figures.push(...(await part({ redis, es, sizes, say })));
    } catch (error) {
      say(`part ${name} failed: ${(error as Error).stack ?? String(error)}`);
      figures.push(...names.map((figure): Figure => ({ figure, measured: null, unit: '', target: '', met: null, error: (error as Error).message.slice(0, 120) })));
    }
  }
} finally {
  redis.disconnect();
  await es.close();
}

const table = markdownTable(figures);
const dir = fileURLToPath(new URL('../.data/bench/', import.meta.url));
mkdirSync(dir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const report = { at: new Date().toISOString(), seconds: (Date.now() - started) / 1000, machine: { cpus: cpus().length, model: cpus()[0]?.model }, sizes, figures, table };
writeFileSync(`${dir}/ratio-${stamp}.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${dir}/latest.json`, `${JSON.stringify(report, null, 2)}\n`);
const breakdowns = figures.flatMap((f) => {
  const byProcess = f.details?.msPerWriteByProcess as Record<string, number> | undefined;
  return byProcess ? [`${f.figure}: ${Object.entries(byProcess).map(([name, ms]) => `${name} ${ms}`).join(', ')} ms (less the services' idle: ${String(f.details?.msPerWriteLessIdle)} ms)`] : [];
});
process.stdout.write(`\nratio bench (scale ${sizes.scale}, ${report.seconds.toFixed(0)} s; ${cpus().length} cores shared by every process; Redis AOF appendfsync always)\n\n${table}\n\n${breakdowns.join('\n')}\n\nwritten to .data/bench/ratio-${stamp}.json (and latest.json)\n`);
