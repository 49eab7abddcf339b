// A CPU profiler inside the process, for `node --import` (NODE_OPTIONS may not carry --cpu-prof):
// the first SIGUSR2 starts sampling (every 200 µs), the second writes
// $PROFILE_DIR/<script>-<pid>.cpuprofile (default .data/profiles/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Session } from 'node:inspector/promises';

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
let sampling = false;
process.on('SIGUSR2', async () => {
  if (!sampling) {
    sampling = true;
    await session.post('Profiler.start');
    return;
  }
  sampling = false;
  const { profile } = await session.post('Profiler.stop');
  const dir = process.env.PROFILE_DIR ?? new URL('../../.data/profiles/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${basename(process.argv[1] ?? 'node')}-${process.pid}.cpuprofile`, JSON.stringify(profile));
});
