import { afterAll, beforeEach, describe, type TestContext } from 'vitest';
import type { Metric, StrategyType } from '@tenantvec/core';
import type { BackendUnderTest } from './backend-under-test.js';
import { ConformanceOptionsError } from './conformance-options-error.js';
import { createHarness, type Harness } from './harness.js';
import { strategiesUnderTest } from './strategies-under-test.js';
import { badInputSuite } from './suites/bad-input-suite.js';
import { crudSuite } from './suites/crud-suite.js';
import { documentsSuite } from './suites/documents-suite.js';
import { filterSuite } from './suites/filter-suite.js';
import { isolationSuite } from './suites/isolation-suite.js';
import { keywordSuite } from './suites/keyword-suite.js';
import { lifecycleSuite } from './suites/lifecycle-suite.js';
import { rankingSuite } from './suites/ranking-suite.js';

/** The suites every backend × strategy runs, in order; their names are what `skip` keys start with. */
const suites: readonly { name: string; register(harness: Harness): void }[] = [
  { name: 'records', register: crudSuite },
  { name: 'ranking', register: rankingSuite },
  { name: 'filters', register: filterSuite },
  { name: 'bad input', register: badInputSuite },
  { name: 'isolation', register: isolationSuite },
  { name: 'keyword', register: keywordSuite },
  { name: 'documents', register: documentsSuite },
  { name: 'lifecycle', register: lifecycleSuite },
];

export const conformanceSuiteNames: readonly string[] = suites.map((suite) => suite.name);

export interface ConformanceOptions {
  /** The strategies to run the suite under; all four when left out. */
  strategies?: readonly StrategyType[];
  /**
   * What this backend cannot support, each with the reason printed in the output. A key is a
   * suite name (`'lifecycle'`) or a suite and a case title joined by ` > `
   * (`'lifecycle > moves a tenant while writers keep writing'`). Skipped cases count as skipped,
   * never as passed.
   */
  skip?: Readonly<Record<string, string>>;
  /**
   * The metric of every store the suites create. A second run on another metric covers what a
   * backend does only there (Pinecone searches keywords only in `dotproduct` indexes). @default 'cosine'
   */
  metric?: Metric;
  /** Only these suites (by name); every suite when left out. */
  suites?: readonly string[];
}

/** Names from an environment variable (comma-separated), or undefined when it is unset or empty. */
function namesFrom(variable: string): string[] | undefined {
  const names = process.env[variable]?.split(',').map((name) => name.trim()).filter(Boolean);
  return names === undefined || names.length === 0 ? undefined : names;
}

function checkedOptions(options: ConformanceOptions) {
  const known = strategiesUnderTest.map((strategy) => strategy.name);
  const wanted = options.strategies ?? known;
  const fromEnvironment = namesFrom('TENANTVEC_STRATEGIES');
  // A typo must fail loudly, not narrow the run to nothing and pass.
  const unknown = [...wanted, ...(fromEnvironment ?? [])].filter((name) => !known.includes(name as StrategyType));
  if (unknown.length > 0) throw new ConformanceOptionsError(`unknown strategies: ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const skip = Object.entries(options.skip ?? {});
  for (const [key, reason] of skip) {
    const suite = key.split(' > ')[0]!;
    if (!conformanceSuiteNames.includes(suite)) throw new ConformanceOptionsError(`skip "${key}" names no suite; suites: ${conformanceSuiteNames.join(', ')}`);
    if (reason.trim() === '') throw new ConformanceOptionsError(`skip "${key}" gives no reason`);
  }
  const unknownSuites = (options.suites ?? []).filter((name) => !conformanceSuiteNames.includes(name));
  if (unknownSuites.length > 0) throw new ConformanceOptionsError(`unknown suites: ${unknownSuites.join(', ')}; suites: ${conformanceSuiteNames.join(', ')}`);
  if (options.suites !== undefined && options.suites.length === 0) throw new ConformanceOptionsError('suites is empty: leave it out to run every suite');
  const chosen = options.suites === undefined ? suites : suites.filter((suite) => options.suites!.includes(suite.name));
  return { wanted, fromEnvironment, skip: new Map(skip), chosen, metric: options.metric ?? 'cosine' };
}

/** The titles from a test up to, not including, the suite it belongs to: `case` or `group > case`. */
function caseTitle(context: TestContext, suiteName: string): string {
  const titles: string[] = [];
  let task: { name: string; suite?: { name: string } | undefined } | undefined = context.task;
  while (task !== undefined && task.name !== suiteName) {
    titles.unshift(task.name);
    task = task.suite as typeof task;
  }
  return titles.join(' > ');
}

/** Why this backend × strategy does not run here, or undefined when it runs. */
function notRunning(backend: BackendUnderTest, strategy: StrategyType, wanted: readonly StrategyType[], fromEnvironment: string[] | undefined) {
  const unavailable = backend.unavailable?.();
  if (unavailable !== undefined) return unavailable;
  const backendsWanted = namesFrom('TENANTVEC_BACKENDS');
  if (backendsWanted !== undefined && !backendsWanted.includes(backend.name)) return 'not in TENANTVEC_BACKENDS';
  if (!wanted.includes(strategy)) return 'not in the strategies asked for';
  if (fromEnvironment !== undefined && !fromEnvironment.includes(strategy)) return 'not in TENANTVEC_STRATEGIES';
  return undefined;
}

/**
 * Registers the whole conformance suite (records, ranking, filters, bad input, isolation,
 * lifecycle) with vitest for one backend × each chosen strategy. Call it at the top level of a
 * test file. A backend × strategy that cannot run here (a live service without its env var, or
 * narrowed away by TENANTVEC_BACKENDS / TENANTVEC_STRATEGIES) is registered skipped with the
 * reason in its title, so it shows in the counts instead of vanishing.
 */
export function runConformance(backend: BackendUnderTest, options: ConformanceOptions = {}): void {
  const { wanted, fromEnvironment, skip, chosen, metric } = checkedOptions(options);
  for (const [key, reason] of skip) process.stderr.write(`conformance: ${backend.name} skips "${key}": ${reason}\n`);
  const matched = new Set<string>();
  for (const strategy of strategiesUnderTest) {
    const reason = notRunning(backend, strategy.name, wanted, fromEnvironment);
    const title = `${backend.name} × ${strategy.name}${metric === 'cosine' ? '' : ` (${metric})`}${reason === undefined ? '' : ` (skipped: ${reason})`}`;
    describe.skipIf(reason !== undefined)(title, () => {
      const harness = createHarness(backend, strategy, { metric });
      afterAll(() => harness.closeAll());
      for (const suite of chosen) {
        const suiteReason = skip.get(suite.name);
        if (suiteReason !== undefined) matched.add(suite.name);
        describe.skipIf(suiteReason !== undefined)(suiteReason === undefined ? suite.name : `${suite.name} (skipped: ${suiteReason})`, () => {
          beforeEach((context) => {
            const key = `${suite.name} > ${caseTitle(context, suite.name)}`;
            const caseReason = skip.get(key);
            if (caseReason === undefined) return;
            matched.add(key);
            context.skip(caseReason);
          });
          suite.register(harness);
        });
      }
    });
  }
  afterAll(async () => {
    await backend.teardown?.();
    // A skip that matched nothing is a typo or a renamed case: it must not pass unnoticed.
    const ran = chosen.some(({ name }) => !skip.has(name)) && wanted.some((name) => notRunning(backend, name, wanted, fromEnvironment) === undefined);
    const unmatched = [...skip.keys()].filter((key) => !matched.has(key));
    if (ran && unmatched.length > 0) throw new ConformanceOptionsError(`skip names no case of the suite: ${unmatched.join('; ')}`);
  });
}
