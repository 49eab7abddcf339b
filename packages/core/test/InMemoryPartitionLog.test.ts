import test from 'ava';
import { InMemoryEventLog } from '../src/index.js';
import { partitionLogContract } from './partitionLogContract.js';

partitionLogContract(test, 'InMemoryPartitionLog', async (partitions) => {
  const events = new InMemoryEventLog(partitions);
  return { log: events.partitionLog, events };
});
