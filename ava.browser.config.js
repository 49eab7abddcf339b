// Browser tests: the whole stack as processes, driven through Debian's Chromium (scripts/chromium.sh
// installs it) with playwright-core; screenshots land in .data/test-output/console/.
export default {
  files: ['packages/*/test/**/*.browser.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  timeout: '180s',
  concurrency: 1,
  serial: true,
};
