import test from 'ava';
import { readConfig, setting } from '../src/index.js';

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
