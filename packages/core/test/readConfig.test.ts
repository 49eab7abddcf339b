import test from 'ava';
import { amqpUrlsOf, esNodesOf, readConfig, setting } from '../src/index.js';

const schema = {
  port: setting('integer', 'PORT', 'port', 3000),
  url: setting('url', 'SOME_URL', 'a url', 'http://127.0.0.1:9200'),
  strict: setting('boolean', 'STRICT', 'flag', false),
  name: setting('string', 'NAME', 'required name'),
};

test('readConfig › applies defaults and parses values', (t) => {
  t.deepEqual(readConfig(schema, { NAME: 'x', STRICT: 'true', SOME_URL: 'http://h:1/' }), { port: 3000, url: 'http://h:1', strict: true, name: 'x' });
});

test('readConfig › reports every bad or missing setting at once', (t) => {
  const error = t.throws(() => readConfig(schema, { PORT: 'eighty', STRICT: 'maybe' }));
  t.regex(error?.message ?? '', /PORT="eighty" must be an integer/);
  t.regex(error?.message ?? '', /STRICT="maybe" must be true or false/);
  t.regex(error?.message ?? '', /NAME is required/);
});

test('readConfig › a urls setting is a comma-separated list of URLs, empty by default', (t) => {
  const nodes = { nodes: setting('urls', 'NODES', 'nodes', []) };
  t.deepEqual(readConfig(nodes, {}), { nodes: [] });
  t.deepEqual(readConfig(nodes, { NODES: 'amqp://a:1/, amqp://b:2 ,' }), { nodes: ['amqp://a:1', 'amqp://b:2'] });
  t.regex(t.throws(() => readConfig(nodes, { NODES: 'amqp://a:1,not a url' }))?.message ?? '', /NODES="amqp:\/\/a:1,not a url"/);
});

test('amqpUrlsOf and esNodesOf › the list when given, else the single URL', (t) => {
  t.deepEqual(amqpUrlsOf({ amqpUrls: [], amqpUrl: 'amqp://h:5672' }), ['amqp://h:5672']);
  t.deepEqual(amqpUrlsOf({ amqpUrls: ['amqp://a:1', 'amqp://b:2'], amqpUrl: 'amqp://h:5672' }), ['amqp://a:1', 'amqp://b:2']);
  t.deepEqual(esNodesOf({ esNodes: [], esUrl: 'http://h:9200' }), ['http://h:9200']);
  t.deepEqual(esNodesOf({ esNodes: ['http://a:9201'], esUrl: 'http://h:9200' }), ['http://a:9201']);
});
