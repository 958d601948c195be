/** Options `runConformance` cannot honour (an unknown strategy, a skip without a reason), raised before any test registers. */
export class ConformanceOptionsError extends Error {
  readonly code = 'CONFORMANCE_OPTIONS_INVALID';
  constructor(message: string) {
    super(`runConformance: ${message}`);
    this.name = 'ConformanceOptionsError';
  }
}
