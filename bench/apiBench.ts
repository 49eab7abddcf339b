/**
 * Measures the api on this machine with autocannon: requests per second and latency percentiles
 * for POST, GET and PATCH against the real processes (api, relay, projector, identity provider)
 * on the local Redis (AOF, appendfsync always), RabbitMQ and Elasticsearch. Prints figures; asserts
 * nothing. Run through `npm run bench`.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { aPlan } from '../packages/core/test/planMother.js';
import { devToken } from '../packages/api/test/authTestContext.js';
import { startStack } from '../packages/api/test/stackProcesses.js';
import { BENCH_STACK_ENV } from './benchApi.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

interface Figures {
  readonly name: string;
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
}

async function run(name: string, options: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ duration: DURATION, connections: CONNECTIONS, ...options });
  return {
    name,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

const stack = await startStack({ ...BENCH_STACK_ENV });
try {
  const authorization = `Bearer ${await devToken(stack.env.OIDC_ISSUER ?? '', 'dev-writer')}`;
  const json = { authorization, 'content-type': 'application/json' };
  const seed = Array.from({ length: 200 }, () => aPlan());
  for (const plan of seed) await fetch(`${stack.baseUrl}/v1/plans`, { method: 'POST', headers: json, body: JSON.stringify(plan) });
  const url = stack.baseUrl;
  let next = 0;
  const figures = [
    await run('POST /v1/plans', {
      url: `${url}/v1/plans`,
      method: 'POST',
      headers: json,
      requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(aPlan({ id: `bench-${randomUUID()}` })) }) }],
    }),
    await run('GET /v1/plans/:id', {
      url,
      headers: { authorization },
      requests: [{ setupRequest: (request) => ({ ...request, path: `/v1/plans/${seed[next++ % seed.length]!.objectId}` }) }],
    }),
    await run('PATCH /v1/plans/:id (json-patch)', {
      url,
      method: 'PATCH',
      headers: { authorization, 'content-type': 'application/json-patch+json', 'if-match': '*' },
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            path: `/v1/plans/${seed[next++ % seed.length]!.objectId}`,
            body: JSON.stringify([{ op: 'replace', path: '/planCostShares/copay', value: next % 1000 }]),
          }),
        },
      ],
    }),
  ];
  console.log(`\napi on ${CONNECTIONS} connections, ${DURATION} s each (Redis AOF appendfsync always, 2 cores shared by every process)`);
  console.table(figures.map((f) => ({ endpoint: f.name, 'req/s': f.rps, 'p50 ms': f.p50, 'p99 ms': f.p99, requests: f.requests, errors: f.errors, 'non-2xx': f.non2xx })));
} finally {
  await stack.stop();
}
