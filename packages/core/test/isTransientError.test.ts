import test from 'ava';
import { errors } from '@elastic/elasticsearch';
import { isTransientError, VersionConflict, WriteUnconfirmed } from '../src/index.js';
import { BulkRejected } from '../src/adapters/elasticsearch/index.js';

const responseError = (statusCode: number) => new errors.ResponseError({ statusCode, body: {}, headers: {}, warnings: null, meta: {} as never });
const withCode = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

test('isTransientError › an unreachable or overloaded Elasticsearch is transient, a refused request is not', (t) => {
  t.true(isTransientError(new errors.ConnectionError('down')));
  t.true(isTransientError(new errors.TimeoutError('slow')));
  t.true(isTransientError(new errors.NoLivingConnectionsError('none', {} as never)));
  t.true(isTransientError(responseError(429)));
  t.true(isTransientError(responseError(503)));
  t.false(isTransientError(responseError(400)));
  t.false(isTransientError(responseError(404)));
});

test('isTransientError › a bulk rejection says for itself', (t) => {
  t.true(isTransientError(new BulkRejected('429s', true)));
  t.false(isTransientError(new BulkRejected('mapping', false)));
});

test('isTransientError › lost Redis and RabbitMQ connections and network errors are transient', (t) => {
  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']) t.true(isTransientError(withCode(code)), code);
  t.true(isTransientError(new Error('Connection is closed.')), 'ioredis');
  t.true(isTransientError(new Error('Reached the max retries per request limit (which is 2).')), 'ioredis');
  t.true(isTransientError(new Error('LOADING Redis is loading the dataset in memory')), 'redis');
  t.true(isTransientError(new Error('Channel closed')), 'amqplib');
  t.true(isTransientError(new Error('Command aborted due to connection close')), 'ioredis Cluster, a master killed');
  t.true(isTransientError(new Error('Too many Cluster redirections. Last error: Error: Connection is closed.')), 'ioredis Cluster, failover not over');
  t.true(isTransientError(new Error('CLUSTERDOWN The cluster is down')), 'redis cluster');
  t.true(isTransientError(new Error('Connection closed (Error: Unexpected close)')), 'amqplib');
  t.true(isTransientError(new Error('Socket closed abruptly during opening handshake')), 'amqplib');
});

test('isTransientError › domain errors, plain errors and non-errors are not', (t) => {
  t.false(isTransientError(new VersionConflict('p', 3, 4)));
  t.false(isTransientError(new WriteUnconfirmed(1, 0)), 'answered as its own 503, never retried as if nothing was written');
  t.false(isTransientError(new Error('Event p@3 does not follow version 1.')));
  t.false(isTransientError(null));
  t.false(isTransientError('ECONNREFUSED'));
});
