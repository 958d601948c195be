import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/support/summary-reporter.js';

/** Where a package's test run leaves its totals; turbo caches it as the test task's output. */
export const testTotalsFile = 'test-results/totals.json';

/**
 * The one test setup every package shares, as `tsup.package.ts` is the one build: each package's
 * `vitest.config.ts` is `export default packageTests()`, and `npm test` in the package runs it.
 */
export function packageTests() {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      reporters: ['default', new SummaryReporter({ writeTo: testTotalsFile })],
    },
  });
}
