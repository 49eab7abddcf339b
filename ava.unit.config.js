// ava runs TypeScript test files through tsx; see package.json for the scripts that use it.
export default {
  files: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', '!**/*.int.test.ts', '!**/*.e2e.test.ts', '!**/*.browser.test.ts', '!**/*.cluster.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
};
