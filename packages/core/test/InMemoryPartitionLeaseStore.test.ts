import test from 'ava';
import { InMemoryPartitionLeaseStore } from '../src/index.js';
import { partitionLeaseStoreContract } from './partitionLeaseStoreContract.js';

partitionLeaseStoreContract(test, 'InMemoryPartitionLeaseStore', async (partitions) => {
  let now = 0;
  const store = new InMemoryPartitionLeaseStore(partitions, () => now);
  return { store, other: store, pass: async (ms) => void (now += ms) };
});
