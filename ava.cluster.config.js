// ava runs TypeScript test files through tsx; see package.json for the scripts that use it.
// Tests of the cluster topology (Redis Cluster, RabbitMQ cluster, Elasticsearch cluster): they
// kill and restart nodes, so they run one at a time.
export default {
  files: ['packages/*/test/**/*.cluster.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  // ava's timeout counts inactivity, hooks included: the fault table's after hook stops its stack
  // and deletes its 51 quorum queues on the three-node broker, which on a loaded host took ~8 min
  // once, one queue at a time (every test passed, ava exited 1 with nothing in the TAP output).
  timeout: '900s',
  concurrency: 1,
  serial: true,
};
