import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import test from 'ava';
import { decodeJwt } from 'jose';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const mainJs = join(dist, 'main.js');
const tokenMainJs = join(dist, 'tokenMain.js');
const run = promisify(execFile);

test.before(() => {
  if (!existsSync(mainJs)) throw new Error(`build first: npx tsc -b packages/idp (missing ${mainJs})`);
});

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'planledger-idp-e2e-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

interface IdpProcess {
  readonly issuer: string;
  stop(): Promise<number | null>;
}

async function startIdpProcess(t: { teardown(fn: () => void): void }, env: NodeJS.ProcessEnv): Promise<IdpProcess> {
  const child = spawn(process.execPath, [mainJs], {
    env: { ...process.env, IDP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.teardown(() => void child.kill('SIGKILL'));
  const issuer = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /idp listening at (http:\/\/[^"]+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`idp exited with ${code}: ${output}`)));
  });
  return {
    issuer,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function token(issuer: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [tokenMainJs, ...args], {
    env: { ...process.env, OIDC_ISSUER: issuer, ...env },
  });
  return stdout.trim();
}

test('idp process › listens, serves tokenMain, and exits 0 on SIGTERM', async (t) => {
  const idp = await startIdpProcess(t, { IDP_DATA_DIR: await tempDir(t), NODE_ENV: 'development' });
  const payload = decodeJwt(await token(idp.issuer, ['dev-writer', 'plans:write']));
  t.like(payload, { iss: idp.issuer, sub: 'dev-writer', scope: 'plans:write', org: 'example.com' });
  t.is(await idp.stop(), 0);
});

test('idp process in production with IDP_CLIENTS_FILE › serves the file clients and no dev client', async (t) => {
  const dir = await tempDir(t);
  const clientsFile = join(dir, 'clients.json');
  const svc = { client_id: 'svc', client_secret: 'svc-pass', scope: 'plans:read', org: 'acme.test' };
  await writeFile(clientsFile, JSON.stringify([svc]));
  const env = { IDP_DATA_DIR: join(dir, 'keys'), NODE_ENV: 'production', IDP_CLIENTS_FILE: clientsFile };
  const idp = await startIdpProcess(t, env);

  const payload = decodeJwt(await token(idp.issuer, ['svc'], { IDP_CLIENT_SECRET: 'svc-pass' }));
  t.like(payload, { sub: 'svc', org: 'acme.test', scope: 'plans:read' });
  const refused = await t.throwsAsync(token(idp.issuer, ['dev-writer']));
  t.regex(String((refused as { stderr?: unknown }).stderr), /401 invalid_client/);
  t.is(await idp.stop(), 0);
});

test('idp process in production without IDP_CLIENTS_FILE › refuses to start, naming the setting', async (t) => {
  const env: NodeJS.ProcessEnv = { ...process.env, IDP_PORT: '0', NODE_ENV: 'production' };
  env['IDP_DATA_DIR'] = await tempDir(t);
  delete env['IDP_CLIENTS_FILE'];
  const error = await t.throwsAsync(run(process.execPath, [mainJs], { env, timeout: 20_000 }));
  t.like(error, { code: 1 });
  t.regex(String((error as { stderr?: unknown }).stderr), /development clients.*NODE_ENV=production.*IDP_CLIENTS_FILE/);
});

test('tokenMain without a reachable idp › exits 1 with a message on stderr only', async (t) => {
  const env = { ...process.env, OIDC_ISSUER: 'http://127.0.0.1:9' };
  const error = await t.throwsAsync(run(process.execPath, [tokenMainJs, 'dev-reader'], { env, timeout: 20_000 }));
  t.like(error, { code: 1, stdout: '' });
  t.regex(String((error as { stderr?: unknown }).stderr), /not reachable.*is the identity provider running/);
});
