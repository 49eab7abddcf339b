export { createBrokerTopology, type BrokerTopology } from './brokerTopology.js';
export { declareTopology, deleteTopology } from './declareTopology.js';
export { AmqpMessageSource } from './AmqpMessageSource.js';
export { createAmqpConnector, nodeOf, type AmqpConnection, type AmqpConnector, type AmqpConnectorOptions } from './createAmqpConnector.js';
export { keepConnected, type BrokerLink, type BrokerSession, type KeepConnectedOptions, type KeptConnection } from './keepConnected.js';
