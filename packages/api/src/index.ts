export { createApp, type AppDependencies } from './app.js';
export { PROBLEM_TYPES, type ProblemType } from './problemTypes.js';
export { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './requestLimits.js';
