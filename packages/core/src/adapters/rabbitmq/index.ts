export { PROJECTIONS, createBrokerTopology, type BrokerTopology, type ProjectionName } from './brokerTopology.js';
export { declareTopology, deleteTopology } from './declareTopology.js';
