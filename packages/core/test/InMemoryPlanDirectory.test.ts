import test from 'ava';
import { InMemoryPlanDirectory } from '../src/index.js';
import { planDirectoryContract } from './planDirectoryContract.js';

planDirectoryContract(test, 'InMemoryPlanDirectory', async () => new InMemoryPlanDirectory());
