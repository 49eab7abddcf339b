// A profiler inside the process, for `node --import` (NODE_OPTIONS may not carry --cpu-prof):
// the first SIGUSR2 starts sampling, the second writes $PROFILE_DIR/<script>-<pid>.cpuprofile
// (default .data/profiles/): CPU every 200 µs, or, with PROFILE_HEAP=1, allocations (one sample
// per 4 KiB allocated, counting objects the GC has since collected) to a .heapprofile.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Session } from 'node:inspector/promises';

const heap = process.env.PROFILE_HEAP === '1';
const session = new Session();
session.connect();
if (heap) {
  await session.post('HeapProfiler.enable');
} else {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
}
let sampling = false;
process.on('SIGUSR2', async () => {
  if (!sampling) {
    sampling = true;
    if (heap) await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    else await session.post('Profiler.start');
    return;
  }
  sampling = false;
  const { profile } = heap ? await session.post('HeapProfiler.stopSampling') : await session.post('Profiler.stop');
  const dir = process.env.PROFILE_DIR ?? new URL('../../.data/profiles/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${basename(process.argv[1] ?? 'node')}-${process.pid}.${heap ? 'heapprofile' : 'cpuprofile'}`, JSON.stringify(profile));
});
