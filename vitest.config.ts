import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/support/summary-reporter.js';

/**
 * Every package's tests in one vitest process, each under its own `vitest.config.ts`: for
 * `npx vitest run packages/qdrant packages/emulators` while working. `npm test` runs the packages
 * through turbo instead (cached per package), see scripts/run-tests.mjs.
 */
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'examples/*/vitest.config.ts'],
    reporters: ['default', new SummaryReporter()],
  },
});
