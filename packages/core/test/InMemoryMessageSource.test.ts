import test from 'ava';
import { InMemoryMessageSource } from '../src/index.js';
import { messageSourceContract } from './messageSourceContract.js';

messageSourceContract(test, 'InMemoryMessageSource', async () => {
  const source = new InMemoryMessageSource(2, 2);
  return { source, publish: async (partition, body, position) => source.publish(partition, body, position), deadLettered: async () => source.deadLetters.length };
});
