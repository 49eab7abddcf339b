import { EventEmitter } from 'node:events';
import test from 'ava';
import type { ChannelModel } from 'amqplib';
import { silentLogger } from '../src/index.js';
import { keepConnected, type AmqpConnection, type AmqpConnector } from '../src/adapters/rabbitmq/index.js';

/**
 * The loop's decisions (when to restart, how long to pause, what a stop does) without a broker: a
 * connector handing out stand-ins that close on demand. The same loop runs against the real
 * RabbitMQ cluster in rabbitCluster.cluster.test.ts.
 */
function fakeBroker(answers: boolean[]) {
  const connections: (EventEmitter & { closed: boolean })[] = [];
  let call = 0;
  const connector: AmqpConnector = {
    async connect(): Promise<AmqpConnection> {
      if (!(answers[call++] ?? true)) throw new Error('No RabbitMQ node answered (fake).');
      const connection = Object.assign(new EventEmitter(), { closed: false });
      const channel = () => Promise.resolve(new EventEmitter());
      Object.assign(connection, {
        createChannel: channel,
        createConfirmChannel: channel,
        close: async () => void (connection.closed = true),
      });
      connections.push(connection);
      return { connection: connection as unknown as ChannelModel, node: `node${connections.length}` };
    },
  };
  const drop = (n: number) => connections[n]?.emit('close', new Error('Connection closed (fake)'));
  return { connector, connections, drop };
}
const until = async (done: () => boolean) => {
  for (let i = 0; i < 1000 && !done(); i += 1) await new Promise((resolve) => setImmediate(resolve));
};

test('keepConnected › a dropped connection stops the session, closes it, and starts a new one on the next connection', async (t) => {
  const broker = fakeBroker([]);
  const events: string[] = [];
  const kept = keepConnected({
    connector: broker.connector,
    logger: silentLogger,
    start: async (link) => {
      events.push(`start ${link.node}`);
      return { stop: async () => void events.push(`stop ${link.node}`) };
    },
  });
  await kept.started;
  broker.drop(0);
  await until(() => events.length === 3);
  t.deepEqual(events, ['start node1', 'stop node1', 'start node2']);
  t.true(broker.connections[0]?.closed);
  await kept.stop();
  t.deepEqual(events, ['start node1', 'stop node1', 'start node2', 'stop node2']);
  t.true(broker.connections[1]?.closed);
  await kept.done;
});

test('keepConnected › a failing session or a closed channel of it restarts it; while no node answers it waits ever longer', async (t) => {
  const broker = fakeBroker([true, true, false, false, true]);
  const pauses: number[] = [];
  let fail: (error: Error) => void = () => undefined;
  let closeChannel: () => void = () => undefined;
  let starts = 0;
  const kept = keepConnected({
    connector: broker.connector,
    logger: silentLogger,
    sleep: async (ms) => void pauses.push(ms),
    start: async (link) => {
      starts += 1;
      const channel = await link.channel();
      closeChannel = () => channel.emit('close');
      return { done: new Promise<void>((_, reject) => (fail = reject)), stop: async () => undefined };
    },
  });
  await kept.started;
  fail(new Error('message nacked'));
  await until(() => starts === 2);
  t.is(starts, 2, 'the failed session started again at once');
  closeChannel();
  await until(() => starts === 3);
  t.is(starts, 3, 'after two nodes that did not answer');
  t.deepEqual(pauses, [200, 400, 800], 'growing pauses between attempts');
  await kept.stop();
});

test('keepConnected › when no node answers at first, `started` rejects (the process fails to start, as before)', async (t) => {
  const broker = fakeBroker([false]);
  const kept = keepConnected({ connector: broker.connector, logger: silentLogger, start: async () => ({ stop: async () => undefined }) });
  await t.throwsAsync(kept.started, { message: /No RabbitMQ node answered/ });
  await kept.done;
});

test('keepConnected › stop while a reconnect is under way ends without starting another session', async (t) => {
  let release: () => void = () => undefined;
  const broker = fakeBroker([]);
  let starts = 0;
  const connector: AmqpConnector = {
    connect: () => (starts === 0 ? broker.connector.connect() : new Promise<void>((resolve) => (release = resolve)).then(() => broker.connector.connect())),
  };
  const kept = keepConnected({ connector, logger: silentLogger, start: async () => ((starts += 1), { stop: async () => undefined }) });
  await kept.started;
  broker.drop(0);
  await until(() => broker.connections[0]?.closed === true);
  const stopping = kept.stop();
  release();
  await stopping;
  t.is(starts, 1, 'no second session');
  t.true(broker.connections.every((connection) => connection.closed), 'every connection it opened is closed');
});
