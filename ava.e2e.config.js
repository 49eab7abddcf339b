// ava runs TypeScript test files through tsx; see package.json for the scripts that use it.
export default {
  files: ['packages/*/test/**/*.e2e.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  timeout: '180s',
  concurrency: 1,
  serial: true,
};
