import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/** The cluster env of the common contract, read from the environment with its defaults. */
export const CLUSTER_AMQP_URLS = (process.env.AMQP_URLS ?? 'amqp://guest:guest@127.0.0.1:5701,amqp://guest:guest@127.0.0.1:5702,amqp://guest:guest@127.0.0.1:5703').split(',').map((url) => url.trim());
export const CLUSTER_ES_NODES = (process.env.ES_NODES ?? 'http://127.0.0.1:9201,http://127.0.0.1:9202,http://127.0.0.1:9203').split(',').map((url) => url.trim());

export const portOf = (url: string): number => Number(new URL(url).port);

/** Runs `scripts/<script>.sh <args…>` (kill PORT, restart PORT, ctl PORT …) and returns its stdout. */
export async function clusterScript(script: 'rabbitmq-cluster' | 'es-cluster' | 'redis-cluster', ...args: (string | number)[]): Promise<string> {
  const { stdout } = await run('bash', [`${ROOT}scripts/${script}.sh`, ...args.map(String)], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Retries `attempt` until it resolves (a node just died: the cluster may need a moment), at most `timeoutMs`. */
export async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 60_000): Promise<{ value: T; failures: number }> {
  let failures = 0;
  for (const deadline = Date.now() + timeoutMs; ; failures += 1) {
    try {
      return { value: await attempt(), failures };
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
