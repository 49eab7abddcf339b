export { createRelay, type Relay, type RelayOptions } from './createRelay.js';
export { createProjectionRunner, type ProjectionRunner, type ProjectionRunnerOptions, type HandleOutcome } from './createProjectionRunner.js';
export { consumeProjection, type ConsumeProjectionOptions, type ProjectionConsumer } from './consumeProjection.js';
