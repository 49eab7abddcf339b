import test from 'ava';
import { InMemoryEventLog } from '../src/index.js';
import { eventLogContract } from './eventLogContract.js';

eventLogContract(test, 'InMemoryEventLog', async () => new InMemoryEventLog());
