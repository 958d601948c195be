import { afterAll, describe } from 'vitest';
import { createHarness, selectedMatrix } from './harness.js';
import { badInputSuite } from './suites/bad-input-suite.js';
import { crudSuite } from './suites/crud-suite.js';
import { filterSuite } from './suites/filter-suite.js';
import { isolationSuite } from './suites/isolation-suite.js';
import { lifecycleSuite } from './suites/lifecycle-suite.js';
import { rankingSuite } from './suites/ranking-suite.js';

/**
 * One suite, every backend × strategy. Only a live service without its env var is skipped, and
 * its reason is printed in the suite name.
 */
for (const { backend, strategy } of selectedMatrix()) {
  const unavailable = backend.unavailable?.();
  const title = `${backend.name} × ${strategy.name}${unavailable === undefined ? '' : ` (skipped: ${unavailable})`}`;
  describe.skipIf(unavailable !== undefined)(title, () => {
    const harness = createHarness(backend, strategy);
    afterAll(() => harness.closeAll());
    describe('records', () => crudSuite(harness));
    describe('ranking', () => rankingSuite(harness));
    describe('filters', () => filterSuite(harness));
    describe('bad input', () => badInputSuite(harness));
    describe('isolation', () => isolationSuite(harness));
    describe('lifecycle', () => lifecycleSuite(harness));
  });
}

afterAll(async () => {
  const backends = new Set(selectedMatrix().map(({ backend }) => backend));
  await Promise.all([...backends].map((backend) => backend.teardown?.()));
});
