export { runConformance, conformanceSuiteNames, type ConformanceOptions } from './run-conformance.js';
export type { BackendUnderTest } from './backend-under-test.js';
export { ConformanceOptionsError } from './conformance-options-error.js';
export { strategiesUnderTest } from './strategies-under-test.js';
export { randomVector, seededRandom, uniqueStoreName } from './vectors.js';
