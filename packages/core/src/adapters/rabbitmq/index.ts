export { createBrokerTopology, type BrokerTopology } from './brokerTopology.js';
export { declareTopology, deleteTopology } from './declareTopology.js';
export { AmqpMessageSource } from './AmqpMessageSource.js';
