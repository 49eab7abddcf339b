/**
 * The capacity model of docs/capacity.md: turns the per-event costs a bench run measured (CPU per
 * write by process, Redis bytes per event, Elasticsearch documents and bytes) into the machines,
 * Redis masters, partitions and index shards needed at 1×, 10× and 100× today's measured load.
 *
 *   node --import tsx bench/capacityModel.ts [.data/bench/latest.json] [--write docs/capacity.md]
 *
 * Reads the JSON `npm run bench` writes (parts cpuPerWrite, redisBytes, documentsPerPatch and
 * asofSearch must be in it), prints the tables, and with --write replaces the generated section of
 * docs/capacity.md. Every assumption is a named constant below and printed with the tables.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Figure } from './figureTable.js';

export const ASSUMPTIONS = {
  /** Share of writes that create a plan; the rest are one-field PATCHes (the measured costs of each). */
  createShare: 0.2,
  /** Cores of one machine, and how busy a machine may run so a node's failure can be absorbed. */
  coresPerMachine: 8,
  utilization: 0.6,
  /** A Redis master runs its commands on one thread: at most this share of a core, and this much data. */
  redisCoreShare: 0.5,
  redisMemoryPerMasterGiB: 25,
  /** Replicas per Redis master (WAIT needs one) and per Elasticsearch shard. */
  redisReplicas: 1,
  esReplicas: 1,
  /** RabbitMQ quorum queues keep a member on this many nodes (each member does the work). */
  quorumMembers: 3,
  /** Elasticsearch shard size to aim for. */
  shardGiB: 30,
  /** The log is kept for ever: memory and storage are given after this many days of the load. */
  horizonDays: [30, 365],
  /** Node processes use one core each: api, relay and projector instances at most this busy. */
  nodeProcessCoreShare: 0.7,
} as const;

const GiB = 1024 ** 3;

interface Costs {
  /** CPU ms per write by process, weighted by the create share. */
  cpuMs: Record<string, number>;
  redisBytesPerEvent: number;
  searchDocsPerWrite: number;
  searchBytesPerPlan: number;
  temporalBytesPerEvent: number;
  temporalDocsPerEvent: number;
}

const find = (figures: readonly Figure[], prefix: string): Figure => {
  const figure = figures.find((f) => f.figure.startsWith(prefix) && f.measured !== null);
  if (!figure) throw new Error(`the bench report has no measured figure "${prefix}…"; run npm run bench with that part`);
  return figure;
};

export function costsOf(figures: readonly Figure[]): Costs {
  const byProcess = (prefix: string) => find(figures, prefix).details?.msPerWriteByProcess as Record<string, number>;
  const post = byProcess('end-to-end CPU per POST');
  const patch = byProcess('end-to-end CPU per one-field PATCH');
  const cpuMs = Object.fromEntries(Object.keys(post).map((name) => [name, ASSUMPTIONS.createShare * (post[name] ?? 0) + (1 - ASSUMPTIONS.createShare) * (patch[name] ?? 0)]));
  const searchPlan = find(figures, 'search index bytes per plan');
  const temporal = find(figures, 'temporal index bytes per event');
  const docsPerPlan = Number(searchPlan.details?.docsPerPlan ?? 7);
  return {
    cpuMs,
    redisBytesPerEvent: find(figures, 'Redis bytes per event').measured ?? 0,
    // A create writes every document of the plan; a one-field PATCH what it changed.
    searchDocsPerWrite: ASSUMPTIONS.createShare * docsPerPlan + (1 - ASSUMPTIONS.createShare) * (find(figures, 'Elasticsearch documents written per one-field PATCH').measured ?? 1),
    searchBytesPerPlan: searchPlan.measured ?? 0,
    temporalBytesPerEvent: temporal.measured ?? 0,
    temporalDocsPerEvent: Number(temporal.details?.docsPerEvent ?? 2),
  };
}

export interface Sizing {
  load: string;
  writesPerSecond: number;
  cores: Record<string, number>;
  machines: number;
  /** Redis masters for the CPU, then for the memory at each horizon. */
  redisMastersForCpu: number;
  redisMastersForMemory: number[];
  partitions: number;
  redisGiBPerDay: number;
  rabbitNodes: number;
  esDocsPerSecond: number;
  esPrimaryGiBPerDay: number;
  esShards: number[];
  esNodes: number;
  instances: { api: number; relay: number; projector: number };
}

export function size(costs: Costs, writesPerSecond: number, load: string): Sizing {
  const a = ASSUMPTIONS;
  const cores = Object.fromEntries(Object.entries(costs.cpuMs).map(([name, ms]) => [name, (writesPerSecond * ms) / 1000]));
  const dayEvents = writesPerSecond * 86_400;
  const redisGiBPerDay = (dayEvents * costs.redisBytesPerEvent) / GiB;
  const redisMastersForCpu = Math.max(3, Math.ceil((cores.redis ?? 0) / a.redisCoreShare));
  const redisMastersForMemory = a.horizonDays.map((days) => Math.max(redisMastersForCpu, Math.ceil((redisGiBPerDay * days) / a.redisMemoryPerMasterGiB)));
  // A partition's log is one hash tag, so one slot: a master holds whole partitions.
  const partitions = 2 ** Math.ceil(Math.log2(Math.max(16, redisMastersForMemory[0]! * 4)));
  const esPrimaryGiBPerDay = (dayEvents * (a.createShare * costs.searchBytesPerPlan + costs.temporalBytesPerEvent)) / GiB;
  const esShards = a.horizonDays.map((days) => Math.max(1, Math.ceil((esPrimaryGiBPerDay * days) / a.shardGiB)));
  const esCores = (cores.elasticsearch ?? 0) * (1 + a.esReplicas);
  const esNodes = Math.max(3, Math.ceil(esCores / (a.coresPerMachine * a.utilization)));
  const rabbitCores = (cores.rabbitmq ?? 0) * a.quorumMembers;
  const rabbitNodes = Math.max(3, Math.ceil(rabbitCores / (a.coresPerMachine * a.utilization)));
  const instances = (name: string) => Math.max(2, Math.ceil((cores[name] ?? 0) / a.nodeProcessCoreShare));
  const total = Object.values(cores).reduce((sum, c) => sum + c, 0) + (cores.redis ?? 0) * a.redisReplicas + (cores.elasticsearch ?? 0) * a.esReplicas + (cores.rabbitmq ?? 0) * (a.quorumMembers - 1);
  return {
    load,
    writesPerSecond,
    cores,
    machines: Math.ceil(total / (a.coresPerMachine * a.utilization)),
    redisMastersForCpu,
    redisMastersForMemory,
    partitions,
    redisGiBPerDay: redisGiBPerDay * (1 + a.redisReplicas),
    rabbitNodes,
    esDocsPerSecond: writesPerSecond * (costs.searchDocsPerWrite + costs.temporalDocsPerEvent),
    esPrimaryGiBPerDay,
    esShards,
    esNodes,
    instances: { api: instances('api'), relay: instances('relay'), projector: instances('projector') },
  };
}

/** Today's measured load: what this machine's cores sustain at the measured CPU per write. */
export function todaysLoad(costs: Costs, cores: number): number {
  const msPerWrite = Object.values(costs.cpuMs).reduce((sum, ms) => sum + ms, 0);
  return Math.floor((cores * 1000) / msPerWrite);
}

const n = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits });

export function render(costs: Costs, sizings: readonly Sizing[], source: { at: string; cores: number }): string {
  const processes = Object.keys(costs.cpuMs);
  const lines = [
    `Measured ${source.at} on ${source.cores} cores (one bench run; \`bench/capacityModel.ts\` regenerates this section).`,
    '',
    '| per write (weighted: ' + `${ASSUMPTIONS.createShare * 100}% creates, ${(1 - ASSUMPTIONS.createShare) * 100}% one-field PATCHes) | measured |`,
    '|---|---|',
    ...processes.map((name) => `| CPU, ${name} | ${n(costs.cpuMs[name] ?? 0, 3)} ms |`),
    `| CPU, all processes | ${n(Object.values(costs.cpuMs).reduce((s, v) => s + v, 0), 3)} ms |`,
    `| Redis bytes per event (log, versions, snapshots; one copy, no replica) | ${n(costs.redisBytesPerEvent)} |`,
    `| search documents written per write | ${n(costs.searchDocsPerWrite, 2)} |`,
    `| search index bytes per plan (primary) | ${n(costs.searchBytesPerPlan)} |`,
    `| temporal index documents / bytes per event (primary) | ${n(costs.temporalDocsPerEvent, 2)} / ${n(costs.temporalBytesPerEvent)} |`,
    '',
    '| | ' + sizings.map((s) => s.load).join(' | ') + ' |',
    '|---|' + sizings.map(() => '---|').join(''),
    `| writes/s | ${sizings.map((s) => n(s.writesPerSecond)).join(' | ')} |`,
    ...processes.map((name) => `| cores: ${name} | ${sizings.map((s) => n(s.cores[name] ?? 0, 1)).join(' | ')} |`),
    `| machines (${ASSUMPTIONS.coresPerMachine} cores at ≤ ${ASSUMPTIONS.utilization * 100}%, replicas included) | ${sizings.map((s) => n(s.machines)).join(' | ')} |`,
    `| Redis masters for the CPU (each + ${ASSUMPTIONS.redisReplicas} replica) | ${sizings.map((s) => s.redisMastersForCpu).join(' | ')} |`,
    ...ASSUMPTIONS.horizonDays.map((days, i) => `| Redis masters for the memory after ${days} days | ${sizings.map((s) => n(s.redisMastersForMemory[i]!)).join(' | ')} |`),
    `| PARTITIONS (≥ 4 per master at ${ASSUMPTIONS.horizonDays[0]} days) | ${sizings.map((s) => n(s.partitions)).join(' | ')} |`,
    `| Redis memory per day of log, replicas included | ${sizings.map((s) => `${n(s.redisGiBPerDay, 1)} GiB`).join(' | ')} |`,
    `| RabbitMQ nodes (quorum queues on ${ASSUMPTIONS.quorumMembers}) | ${sizings.map((s) => s.rabbitNodes).join(' | ')} |`,
    `| Elasticsearch documents written/s | ${sizings.map((s) => n(s.esDocsPerSecond)).join(' | ')} |`,
    `| Elasticsearch primary data per day | ${sizings.map((s) => `${n(s.esPrimaryGiBPerDay, 1)} GiB`).join(' | ')} |`,
    ...ASSUMPTIONS.horizonDays.map((days, i) => `| Elasticsearch primary shards (≤ ${ASSUMPTIONS.shardGiB} GiB) after ${days} days | ${sizings.map((s) => n(s.esShards[i]!)).join(' | ')} |`),
    `| Elasticsearch nodes for the CPU | ${sizings.map((s) => s.esNodes).join(' | ')} |`,
    `| api / relay / projector instances | ${sizings.map((s) => `${s.instances.api} / ${s.instances.relay} / ${s.instances.projector}`).join(' | ')} |`,
    '',
    `Assumptions: ${Object.entries(ASSUMPTIONS).map(([k, v]) => `${k} ${String(v)}`).join(', ')}.`,
  ];
  return lines.join('\n');
}

const BEGIN = '<!-- capacity model: generated -->';
const END = '<!-- capacity model: end -->';

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const writeTo = args.includes('--write') ? args[args.indexOf('--write') + 1] : undefined;
  const input = args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--write') ?? '.data/bench/latest.json';
  const report = JSON.parse(readFileSync(input, 'utf8')) as { at: string; machine: { cpus: number }; figures: Figure[] };
  const costs = costsOf(report.figures);
  const today = todaysLoad(costs, report.machine.cpus);
  const sizings = [size(costs, today, 'today (1×)'), size(costs, today * 10, '10×'), size(costs, today * 100, '100×')];
  const section = render(costs, sizings, { at: report.at, cores: report.machine.cpus });
  process.stdout.write(`${section}\n`);
  if (writeTo) {
    const doc = readFileSync(writeTo, 'utf8');
    const [head, rest] = doc.split(BEGIN);
    const tail = rest?.split(END)[1];
    if (head === undefined || tail === undefined) throw new Error(`${writeTo} has no ${BEGIN} … ${END} section`);
    writeFileSync(writeTo, `${head}${BEGIN}\n${section}\n${END}${tail}`);
  }
}
