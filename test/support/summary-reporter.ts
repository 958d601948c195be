import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';

export interface TestTotals {
  passed: number;
  failed: number;
  skipped: number;
  /** The backends the conformance suite registered (`<backend> × <strategy>` titles), run or skipped. */
  conformanceBackends: string[];
}

/**
 * Ends a run with one plain line, `tests: N passed, N failed, N skipped`, that any CI can read
 * without knowing vitest's own summary format. With `writeTo`, a package run also leaves its
 * totals in a file: turbo keeps it as the test task's output, so a cached package still counts
 * when the root adds every package's totals up (scripts/run-tests.mjs).
 */
export default class SummaryReporter implements Reporter {
  private root = process.cwd();

  constructor(private readonly options: { writeTo?: string } = {}) {}

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const totals: TestTotals = { passed: 0, failed: 0, skipped: 0, conformanceBackends: [] };
    const backends = new Set<string>();
    for (const module of testModules) {
      // A file that failed to load has no tests: it must count as a failure, not as nothing.
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) totals.failed += 1;
      for (const suite of module.children.suites()) {
        const backend = /^(\S+) × /.exec(suite.name)?.[1];
        if (backend !== undefined) backends.add(backend);
      }
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') totals.passed += 1;
        else if (state === 'failed') totals.failed += 1;
        else totals.skipped += 1;
      }
    }
    totals.conformanceBackends = [...backends].sort();
    if (this.options.writeTo !== undefined) {
      const file = resolve(this.root, this.options.writeTo);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(totals)}\n`);
    }
    process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  }
}
