import test from 'ava';
import { InMemoryEventLog } from '../src/index.js';
import { planServiceProperties } from './planServiceProperties.js';

planServiceProperties(test, 'plan service on the in-memory log', async () => new InMemoryEventLog(), 100);
