export { createRelay, type Relay, type RelayOptions, type RelayPublisher } from './createRelay.js';
export { createBrokerRelay, createAmqpPublisher, type BrokerRelayOptions } from './createBrokerRelay.js';
export { createProjectionRunner, type ProjectionRunner, type ProjectionRunnerOptions, type HandleOutcome } from './createProjectionRunner.js';
export { consumeProjection, type ConsumeProjectionOptions, type ProjectionConsumer } from './consumeProjection.js';
export { replayProjection, type ReplayOptions, type ReplayProgress } from './replayProjection.js';
export { PROJECTIONS, PROJECTION_NAMES, findProjection, projectionNamed, type Projection, type ProjectionResources, type Generation } from './projections/index.js';
