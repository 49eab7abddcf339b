// ava runs TypeScript test files through tsx; see package.json for the scripts that use it.
export default {
  files: ['packages/*/src/**/*.int.test.ts', 'packages/*/test/**/*.int.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  timeout: '120s',
};
