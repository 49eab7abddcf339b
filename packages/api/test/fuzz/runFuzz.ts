import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { PlanDocument } from '@planledger/core';
import { fuzzCase, type FuzzCase } from './fuzzCaseArbitrary.js';
import { runFuzzCase, seedPlan, type FuzzWorld } from './runFuzzCase.js';
import type { Violation } from './responseChecks.js';
import { startFuzzStack } from './startFuzzStack.js';

export interface FuzzOptions {
  /** Cases to run in all (shrinking runs not counted). */
  readonly runs: number;
  readonly seed: number;
  /** Cases in flight at once: independent fast-check runners, each with its own seed. */
  readonly concurrency: number;
  readonly timeoutMs?: number;
  /** Most shrinking runs spent on one failure. */
  readonly maxShrinkRuns?: number;
  readonly onProgress?: (done: number) => void;
}

/** One distinct failure: the first case that broke an invariant on a route, shrunk. */
export interface FuzzFailure {
  readonly key: string;
  readonly violation: Violation;
  readonly counterexample: FuzzCase;
  readonly exchanges: unknown;
  readonly seed: number;
  /** How many cases (before shrinking) broke this invariant on this route. */
  occurrences: number;
}

export interface FuzzResult {
  readonly cases: number;
  readonly requests: number;
  readonly seconds: number;
  /** Answers by status, and by route then status. */
  readonly byStatus: Record<string, number>;
  readonly byRoute: Record<string, Record<string, number>>;
  readonly serverErrors: number;
  readonly failures: FuzzFailure[];
}

class InvariantBroken extends Error {
  constructor(readonly violation: Violation, readonly exchanges: unknown) {
    super(`${violation.invariant} [${violation.route}]: ${violation.detail}`);
  }
}

/** Invariants whose failures on different routes have different causes keep the route in their key. */
const PER_ROUTE = new Set(['never a 5xx', 'never a hang', 'a refused write changes nothing', 'an accepted write equals the reference', 'a JSON Patch the RFC refuses is refused', 'every refusal is application/problem+json']);
const keyOf = (v: Violation) => (PER_ROUTE.has(v.invariant) ? `${v.invariant} @ ${v.route}` : v.invariant);

/** Locks by plan id, so cases that share an id (hostile ids are few) never interleave their before/after reads. */
function createLocks() {
  const tails = new Map<string, Promise<void>>();
  return async <T>(ids: readonly string[], work: () => Promise<T>): Promise<T> => {
    const sorted = [...new Set(ids)].sort();
    const releases: (() => void)[] = [];
    for (const id of sorted) {
      const previous = tails.get(id) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = previous.then(() => mine);
      tails.set(id, tail);
      releases.push(() => {
        release();
        if (tails.get(id) === tail) tails.delete(id);
      });
      await previous;
    }
    try {
      return await work();
    } finally {
      for (const release of releases.reverse()) release();
    }
  };
}

/**
 * Runs the HTTP fuzz against a fresh real stack. Each of `concurrency` runners is a fast-check
 * property over generated cases; a failure is shrunk, recorded once per (invariant, route), and
 * the runner goes on with a new seed, so one run reports every distinct failure it meets.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const { runs, seed, concurrency, timeoutMs = 5_000, maxShrinkRuns = 400 } = options;
  const stack = await startFuzzStack({ timeoutMs, sockets: concurrency * 2 + 8 });
  const started = Date.now();
  const marker = `fz-secret-${randomUUID().slice(0, 8)}`;
  const fixtureId = `fz-fixture-${randomUUID()}`;
  const deletedId = `fz-deleted-${randomUUID()}`;
  const world: FuzzWorld = { stack, marker, fixture: { id: fixtureId, versions: [] as PlanDocument[] }, deletedId, withLocks: createLocks() };
  try {
    (world.fixture.versions as PlanDocument[]).push(...(await seedPlan(world, fixtureId, 3)));
    await seedPlan(world, deletedId, 1);
    await stack.plans.remove({ org: 'example.com', planId: deletedId }, { ifMatch: '*' }, stack.seedContext);

    const byStatus: Record<string, number> = {};
    const byRoute: Record<string, Record<string, number>> = {};
    const failures = new Map<string, FuzzFailure>();
    let cases = 0;
    let requests = 0;
    let serverErrors = 0;
    let started_ = 0;

    const runner = async (index: number) => {
      let round = 0;
      while (started_ < runs) {
        const runnerSeed = (seed + index * 7919 + round * 104_729) | 0;
        round += 1;
        let shrinking = false;
        let shrinkRuns = 0;
        const budget = Math.min(Math.ceil(runs / concurrency), runs - started_);
        if (budget <= 0) break;
        started_ += budget;
        let counted = 0;
        const details = await fc.check(
          fc.asyncProperty(fuzzCase, async (fuzz) => {
            if (shrinking && ++shrinkRuns > maxShrinkRuns) return true;
            const report = await runFuzzCase(world, fuzz);
            if (!shrinking) {
              cases += 1;
              counted += 1;
              for (const { route, status } of report.statuses) {
                requests += 1;
                byStatus[status] = (byStatus[status] ?? 0) + 1;
                const r = (byRoute[route] ??= {});
                r[status] = (r[status] ?? 0) + 1;
                if (status >= 500) serverErrors += 1;
              }
              for (const v of report.violations) {
                const known = failures.get(keyOf(v));
                if (known) known.occurrences += 1;
              }
              if (cases % 1000 === 0) options.onProgress?.(cases);
            }
            const fresh = report.violations.find((v) => !failures.has(keyOf(v)));
            if (fresh) {
              shrinking = true;
              throw new InvariantBroken(fresh, report.exchanges);
            }
            return true;
          }),
          { numRuns: budget, seed: runnerSeed, endOnFailure: false },
        );
        if (details.failed && details.counterexample) {
          const error = details.errorInstance;
          if (error instanceof InvariantBroken && !failures.has(keyOf(error.violation))) {
            failures.set(keyOf(error.violation), { key: keyOf(error.violation), violation: error.violation, counterexample: details.counterexample[0], exchanges: error.exchanges, seed: runnerSeed, occurrences: 1 });
          }
          started_ -= budget - counted;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, i) => runner(i)));
    return { cases, requests, seconds: (Date.now() - started) / 1000, byStatus, byRoute, serverErrors, failures: [...failures.values()] };
  } finally {
    await stack.stop();
  }
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

/** A report for people: counts by status and route, and each failure's shrunk counter-example. */
export function formatFuzzResult(result: FuzzResult): string {
  const lines = [
    `fuzz: ${result.cases} cases, ${result.requests} requests in ${result.seconds.toFixed(1)} s (${(result.cases / result.seconds).toFixed(0)} cases/s)`,
    `by status: ${Object.entries(result.byStatus).sort().map(([s, n]) => `${s}=${n}`).join(' ')}`,
    `5xx: ${result.serverErrors}`,
    'by route:',
    ...Object.entries(result.byRoute).sort().map(([route, statuses]) => `  ${route.padEnd(36)} ${Object.entries(statuses).sort().map(([s, n]) => `${s}=${n}`).join(' ')}`),
    `failures: ${result.failures.length}`,
  ];
  for (const [i, f] of result.failures.entries()) {
    lines.push(`\n#${i + 1} ${f.key} (${f.occurrences}× before shrinking; seed ${f.seed})`, `  ${f.violation.detail}`, `  counter-example: ${clip(fc.stringify(f.counterexample), 2000)}`, `  exchanges: ${clip(JSON.stringify(f.exchanges), 3000)}`);
  }
  return lines.join('\n');
}
