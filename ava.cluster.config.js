// ava runs TypeScript test files through tsx; see package.json for the scripts that use it.
// Tests of the cluster topology (Redis Cluster, RabbitMQ cluster, Elasticsearch cluster): they
// kill and restart nodes, so they run one at a time.
export default {
  files: ['packages/*/test/**/*.cluster.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  timeout: '300s',
  concurrency: 1,
  serial: true,
};
