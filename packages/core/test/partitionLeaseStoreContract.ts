import type { TestFn } from 'ava';
import type { PartitionLeaseStore } from '../src/index.js';

export interface PartitionLeaseStoreFixture {
  /** Two stores over the same leases, as two instances of one role see them. */
  readonly store: PartitionLeaseStore;
  readonly other: PartitionLeaseStore;
  /** Lets `ms` pass on the store's clock (a real wait on a real server). */
  readonly pass: (ms: number) => Promise<void>;
}

/** One contract for every PartitionLeaseStore adapter: the in-memory twin and Redis run the same cases. */
export function partitionLeaseStoreContract(test: TestFn<unknown>, name: string, makeFixture: (partitions: number) => Promise<PartitionLeaseStoreFixture>): void {
  const TTL = 300;

  test(`${name} › heartbeats make members live, sorted, until they leave or their TTL lapses`, async (t) => {
    const { store, other, pass } = await makeFixture(4);
    t.deepEqual(await store.heartbeat('b', TTL), ['b']);
    t.deepEqual(await other.heartbeat('a', TTL * 10), ['a', 'b']);
    await other.leave('a');
    t.deepEqual(await store.heartbeat('b', TTL), ['b'], 'a left at once');
    await other.heartbeat('c', TTL * 10);
    await pass(TTL * 2);
    t.deepEqual(await other.heartbeat('c', TTL * 10), ['c'], 'b stopped beating and lapsed');
  });

  test(`${name} › a lease has one holder: taken when free, renewed by its holder, refused to others`, async (t) => {
    const { store, other } = await makeFixture(4);
    t.true(await store.acquire(2, 'a', TTL * 10));
    t.false(await other.acquire(2, 'b', TTL * 10), 'held by a');
    t.true(await store.acquire(2, 'a', TTL * 10), 'renewed');
    t.true(await other.acquire(3, 'b', TTL * 10));
    t.deepEqual(await other.holders(), [null, null, 'a', 'b']);
  });

  test(`${name} › release frees only the holder's own lease; a lapsed lease is free for anyone`, async (t) => {
    const { store, other, pass } = await makeFixture(2);
    await store.acquire(0, 'a', TTL * 10);
    await other.release(0, 'b');
    t.deepEqual(await store.holders(), ['a', null], 'b cannot release what a holds');
    await store.release(0, 'a');
    t.true(await other.acquire(0, 'b', TTL), 'free after its release');
    await pass(TTL * 2);
    t.deepEqual(await store.holders(), [null, null], 'lapsed');
    t.true(await store.acquire(0, 'a', TTL * 10), 'taken after it lapsed');
  });
}
