import type { TestFn } from 'ava';
import type { MessageSource, SourceMessage } from '../src/index.js';

export interface MessageSourceFixture {
  readonly source: MessageSource;
  publish(partition: number, body: string, position: string): Promise<void>;
  /** How many messages the source dead-lettered so far. */
  deadLettered(): Promise<number>;
}

/** Collects what a partition delivers; `next(n)` waits until n messages arrived in all. */
async function collect(source: MessageSource, partition: number, prefetch = 10) {
  const received: SourceMessage[] = [];
  let wake = () => undefined as void;
  const subscription = await source.consume(partition, (message) => {
    received.push(message);
    wake();
  }, { prefetch });
  const next = async (count: number, timeoutMs = 10_000) => {
    for (const deadline = Date.now() + timeoutMs; received.length < count && Date.now() < deadline; ) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    return received;
  };
  return { received, next, subscription };
}

const eventually = async (check: () => Promise<boolean>, timeoutMs = 10_000) => {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) if (await check()) return true;
  return false;
};

/** One contract for every MessageSource adapter: the in-memory twin and RabbitMQ run the same cases. `deliveryLimit` must be 2. */
export function messageSourceContract(test: TestFn<unknown>, name: string, makeFixture: () => Promise<MessageSourceFixture>): void {
  test(`${name} › delivers a partition's messages in order, with body and position, first time unreturned`, async (t) => {
    const { source, publish } = await makeFixture();
    for (let i = 1; i <= 3; i += 1) await publish(1, `m${i}`, `${i}-0`);
    await publish(0, 'other', '9-0');
    const { next, subscription } = await collect(source, 1);
    const got = await next(3);
    t.deepEqual(got.map((m) => [m.partition, m.body, m.position, m.returned]), [[1, 'm1', '1-0', 0], [1, 'm2', '2-0', 0], [1, 'm3', '3-0', 0]]);
    for (const message of got) source.ack(message);
    await new Promise((r) => setTimeout(r, 200));
    t.is(got.length, 3, 'acked messages do not come back');
    await subscription.cancel();
  });

  test(`${name} › holds at most prefetch unsettled messages`, async (t) => {
    const { source, publish } = await makeFixture();
    for (let i = 1; i <= 5; i += 1) await publish(0, `m${i}`, `${i}-0`);
    const { next, subscription } = await collect(source, 0, 2);
    await next(2);
    await new Promise((r) => setTimeout(r, 300));
    const held = await next(2);
    t.is(held.length, 2);
    source.ack(held[0]!);
    t.is((await next(3)).length, 3);
    for (const message of (await next(3)).slice(1)) source.ack(message);
    t.is((await next(5)).length, 5);
    await subscription.cancel();
  });

  test(`${name} › a requeued message comes again, counted as returned, and past the delivery limit is dead-lettered`, async (t) => {
    const { source, publish, deadLettered } = await makeFixture();
    t.is(source.deliveryLimit, 2);
    await publish(0, 'poison', '1-0');
    const { next, subscription } = await collect(source, 0);
    for (let round = 0; round <= source.deliveryLimit; round += 1) {
      const message = (await next(round + 1))[round];
      t.is(message?.body, 'poison');
      t.is(message?.returned, round);
      source.requeue(message!);
    }
    t.true(await eventually(async () => (await deadLettered()) === 1), 'dead-lettered after the limit');
    await new Promise((r) => setTimeout(r, 200));
    t.is((await next(4, 100)).length, 3, 'not delivered again');
    await subscription.cancel();
  });

  test(`${name} › deadLetter sets a message aside at once`, async (t) => {
    const { source, publish, deadLettered } = await makeFixture();
    await publish(0, 'not json', '1-0');
    await publish(0, 'fine', '2-0');
    const { next, subscription } = await collect(source, 0);
    const [bad, good] = await next(2);
    source.deadLetter(bad!);
    source.ack(good!);
    t.true(await eventually(async () => (await deadLettered()) === 1));
    await subscription.cancel();
  });

  test(`${name} › acks and a requeue made together, out of order, settle exactly those messages`, async (t) => {
    const { source, publish } = await makeFixture();
    for (let i = 1; i <= 8; i += 1) await publish(0, `m${i}`, `${i}-0`);
    const { next, subscription } = await collect(source, 0, 3);
    const [m1, m2, m3] = await next(3);
    // One turn: the second acked while the first is still in hand, and the third returned.
    source.ack(m2!);
    source.requeue(m3!);
    // Two slots freed, one still held by m1: m3 comes again and one more, nothing else.
    await new Promise((r) => setTimeout(r, 300));
    t.is((await next(6, 300)).length, 5, 'm1 still in hand holds its slot');
    source.ack(m1!);
    let seen = await next(6);
    t.true(seen.length >= 6, `${seen.length} deliveries`);
    // Ack whatever arrives after the first three, several per turn, until all eight are settled.
    const acked = new Set<SourceMessage>([m1!, m2!]);
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      for (const message of seen.slice(3)) {
        if (acked.has(message)) continue;
        acked.add(message);
        source.ack(message);
      }
      if (new Set([...acked].map((m) => m.body)).size === 8) break;
      seen = await next(seen.length + 1, 200);
    }
    const bodies = seen.map((m) => m.body);
    t.deepEqual([...new Set(bodies)].sort(), ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8']);
    t.is(bodies.filter((body) => body === 'm3').length, 2, 'the requeued message came again, once');
    t.is(seen.find((m, i) => m.body === 'm3' && i >= 3)?.returned, 1);
    t.is(bodies.filter((body) => body !== 'm3').length, 7, 'no acked message came again');
    await subscription.cancel();
  });
}
