import { join } from 'node:path';
import {
  benchBackends,
  benchModes,
  benchScale,
  benchScales,
  postgresBackends,
  compareResults,
  comparisonMarkdown,
  defaultBackendName,
  defaultBenchSettings,
  markdownReport,
  parseDistribution,
  parseStrategies,
  readBenchConfig,
  readResults,
  runBench,
  settingsProblems,
  writeReports,
  type BenchConfigSettings,
  type BenchMode,
  type BenchProgress,
  type BenchSettings,
} from '@tenantvec/bench';
import { ConfigurationError, loadBackendDescriptor } from '@tenantvec/core';
import { exitCodes, UsageError, type CommandIo } from '../command-io.js';
import { existingInput } from '../file-checks.js';
import { parseOptions, wholeNumber, type ParsedOptions } from '../parse-options.js';

export const benchHelp = `Usage: tenantvec bench [options]
       tenantvec bench --compare BEFORE.json AFTER.json [--json]

Runs one workload against every isolation strategy on one backend and reports ingest rate,
onboarding time, query latency (p50/p95/p99) and recall@k per tenant size (< 1k, 1k–20k,
> 20k records), cross-tenant leaks, offboarding time and residue, storage, and tenantvec's
overhead over the backend. Writes results.json, results.md and recall-latency.svg.
Exits 1 if any result crossed a tenant's walls or anything was left after dropping a tenant.

With --mode hybrid it generates a labelled text workload instead (documents with planted
keywords whose relevant set is known) and reports recall@k and latency of vector, keyword and
hybrid queries per tenant size, and the hybrid gain (hybrid recall minus the better branch's).
Where a backend and strategy refuse keyword search (TERM_STATISTICS_SHARED, UNSUPPORTED), the
report says so for that cell and the run goes on.

Options:
  --config FILE          a bench config (.json, .yaml): backend settings and any option below
  --backend TYPE         ${benchBackends.map((backend) => backend.name).join(' | ')}, or any installed
                         backend type or package
                         (default: pglite, embedded Postgres, when @tenantvec/pgvector is
                         installed, else memory; pgvector reads DATABASE_URL)
  --strategies LIST      all, or a comma-separated list (default all)
  --mode MODE            vector (default): the full run on vectors; hybrid: vector, keyword
                         and hybrid queries on a labelled text workload
  --scale NAME           a named workload, its values overridden by any flag or config key:
${Object.entries(benchScales).map(([name, scale]) => `                           ${name}: ${scale.description}`).join('\n')}
  --tenants N            tenants (default ${defaultBenchSettings.tenants})
  --vectors M            records in all (default ${defaultBenchSettings.records.toLocaleString('en')})
  --dim D                dimensions (default ${defaultBenchSettings.dimension})
  --distribution DIST    tenant sizes: zipf:S, uniform, or tiers:T%:R%,... (T % of the tenants
                         hold R % of the records; the rest share the rest) (default zipf:1)
  --queries Q            queries per strategy, shared by the size buckets (default ${defaultBenchSettings.queries})
  --topk K               results per query (default ${defaultBenchSettings.topK})
  --seed S               seed of the synthetic workload (default ${defaultBenchSettings.seed})
  --input FILE           your own vectors: JSONL lines {"tenant": "...", "vector": [...]}
  --out DIR              where reports go (default bench-results/<backend>-<time>)
  --compare A B          compare two results.json files (before, after)
  --json                 print the results as JSON
  -h, --help             show this help

Exit codes: 0 passed, 1 leaks, residue or a failed strategy (or a broken backend), 2 bad command line.
`;

const optionSpec = {
  config: { type: 'string' },
  scale: { type: 'string' },
  backend: { type: 'string' },
  mode: { type: 'string' },
  strategies: { type: 'string' },
  tenants: { type: 'string' },
  vectors: { type: 'string' },
  dim: { type: 'string' },
  distribution: { type: 'string' },
  queries: { type: 'string' },
  topk: { type: 'string' },
  seed: { type: 'string' },
  input: { type: 'string' },
  out: { type: 'string' },
} as const;

export async function benchCommand(argv: string[], io: CommandIo): Promise<number> {
  const compareAt = argv.indexOf('--compare');
  if (compareAt !== -1) return compare(argv, compareAt, io);
  const options = parseOptions(argv, optionSpec);
  if (options.flag('help')) {
    io.stdout(benchHelp);
    return exitCodes.ok;
  }
  const fromFile: BenchConfigSettings = options.text('config') === undefined ? {} : await readBenchConfig(options.text('config')!, io.environment);
  const settings = await settingsFrom(options, fromFile);
  const problems = settingsProblems(settings);
  if (problems.length > 0) throw new UsageError(problems.join(' '));

  const results = await runBench(settings, { onProgress: progressRenderer(io), environment: io.environment, command: ['tenantvec', 'bench', ...argv].join(' ') });
  const out = options.text('out') ?? fromFile.out ?? join('bench-results', `${settings.backend}-${results.startedAt.replaceAll(/[:.]/g, '-')}`);
  const written = await writeReports(results, out);
  if (options.flag('json')) {
    io.stdout(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    io.stdout(`${markdownReport(results)}\nWrote ${written.json}, ${written.markdown}, ${written.chart}\n`);
  }
  if (!results.passed) io.stderr(`tenantvec bench: FAILED\n${results.problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
  return results.passed ? exitCodes.ok : exitCodes.failed;
}

/** A backend type (or package) that is installed, checked before any work starts. */
async function knownBackend(backend: string): Promise<void> {
  try {
    await loadBackendDescriptor({ type: backend });
  } catch (error) {
    if (!ConfigurationError.isInstance(error)) throw error;
    throw new UsageError(`--backend takes ${benchBackends.map((entry) => entry.name).join(', ')} or another installed backend type, got ${JSON.stringify(backend)}: ${error.message}`);
  }
}

async function settingsFrom(options: ParsedOptions, fromFile: BenchConfigSettings): Promise<BenchSettings> {
  const number = (flag: string, minimum = 1) => wholeNumber(options.text(flag), flag, minimum);
  const strategiesText = options.text('strategies');
  const strategies = strategiesText === undefined ? undefined : parseStrategies(strategiesText);
  if (strategiesText !== undefined && strategies === undefined) throw new UsageError(`--strategies takes all or a comma-separated list of strategies, got ${JSON.stringify(strategiesText)}.`);
  const distributionText = options.text('distribution');
  const distribution = distributionText === undefined ? undefined : parseDistribution(distributionText);
  if (distributionText !== undefined && distribution === undefined) throw new UsageError(`--distribution takes zipf:S (0 < S ≤ 4), uniform or tiers:T%:R%,..., got ${JSON.stringify(distributionText)}.`);
  const modeText = options.text('mode');
  if (modeText !== undefined && !benchModes.includes(modeText as BenchMode)) throw new UsageError(`--mode takes ${benchModes.join(' or ')}, got ${JSON.stringify(modeText)}.`);
  // Hybrid mode's ground truth is what it planted in texts it wrote, so a file of vectors cannot stand in.
  if ((modeText ?? fromFile.mode) === 'hybrid' && (options.text('input') ?? fromFile.input) !== undefined) throw new UsageError('--mode hybrid generates its own labelled text workload and takes no --input.');
  const scaleName = options.text('scale');
  const scale = scaleName === undefined ? undefined : benchScale(scaleName);
  if (scaleName !== undefined && scale === undefined) throw new UsageError(`--scale takes one of ${Object.keys(benchScales).join(', ')}, got ${JSON.stringify(scaleName)}.`);
  const backend = options.text('backend') ?? fromFile.backend ?? (await defaultBackendName());
  await knownBackend(backend);
  const flags: Partial<BenchSettings> = {
    ...defined('mode', modeText as BenchMode | undefined),
    ...defined('strategies', strategies),
    ...defined('tenants', number('tenants')),
    ...defined('records', number('vectors')),
    ...defined('dimension', number('dim')),
    ...defined('distribution', distribution),
    ...defined('queries', number('queries')),
    ...defined('topK', number('topk')),
    ...defined('seed', number('seed', 0)),
    ...defined('input', options.text('input') === undefined ? undefined : await existingInput(options.text('input')!, 'input')),
  };
  const { out: _out, ...fileSettings } = fromFile;
  // A backend named on the command line other than the config's does not inherit its settings.
  const configured = fromFile.backend === undefined || fromFile.backend === backend ? (fromFile.backendSettings ?? {}) : {};
  // A scale's backend settings apply where they mean something; the config's own win.
  const backendSettings = scale !== undefined && postgresBackends.includes(backend) ? { ...scale.postgresSettings, ...configured } : configured;
  const preset = scale === undefined ? {} : { ...scale.settings, scale: scaleName };
  return { ...defaultBenchSettings, ...preset, ...fileSettings, ...flags, backend, backendSettings };
}

function defined<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
}

async function compare(argv: string[], at: number, io: CommandIo): Promise<number> {
  const [before, after] = argv.slice(at + 1, at + 3);
  if (before === undefined || after === undefined || before.startsWith('--') || after.startsWith('--')) throw new UsageError('--compare takes two results.json files: before and after.');
  const rest = [...argv.slice(0, at), ...argv.slice(at + 3)];
  const options = parseOptions(rest, {});
  const comparison = compareResults(await readResults(await existingInput(before, 'compare')), await readResults(await existingInput(after, 'compare')));
  io.stdout(options.flag('json') ? `${JSON.stringify(comparison, null, 2)}\n` : comparisonMarkdown(comparison));
  return comparison.after.passed ? exitCodes.ok : exitCodes.failed;
}

/** `1,234 rows/s, ETA 5m 02s` of a phase that began at `since` (ms), once a rate can be told. */
export function rateAndEta(done: number, total: number, since: number, now: number, unit = 'rows'): string {
  const seconds = (now - since) / 1000;
  if (done === 0 || seconds <= 0) return '';
  const rate = done / seconds;
  const left = Math.round((total - done) / rate);
  const eta = left >= 60 ? `${Math.floor(left / 60)}m ${String(left % 60).padStart(2, '0')}s` : `${left}s`;
  return `, ${rate >= 10 ? Math.round(rate).toLocaleString('en') : rate.toFixed(1)} ${unit}/s, ETA ${eta}`;
}

/**
 * A redrawn bar on a terminal; elsewhere (CI logs, pipes) one line as each phase starts, and for
 * the load and the index builds after it a line at every tenth with its rate, time left and the
 * process's resident memory.
 */
function progressRenderer(io: CommandIo): (progress: BenchProgress) => void {
  const started = performance.now();
  let lastKey = '';
  let lastDrawn = 0;
  let phaseStarted = started;
  let lastTenth = 0;
  return (progress) => {
    const key = progress.strategy === undefined ? progress.phase : `${progress.strategy} ${progress.phase}`;
    const now = performance.now();
    if (key !== lastKey) {
      phaseStarted = now;
      lastTenth = 0;
    }
    const seconds = ((now - started) / 1000).toFixed(1).padStart(6);
    // The long phases: the load, and on a backend that defers them, the index builds after it.
    const long = progress.phase === 'ingest' || progress.phase === 'index-builds';
    const rate = long ? rateAndEta(progress.done, progress.total, phaseStarted, now, progress.phase === 'ingest' ? 'rows' : 'indexes') : '';
    if (!io.interactive) {
      if (key !== lastKey && progress.phase !== 'cleanup') io.stderr(`[${seconds}s] ${progress.strategy === undefined ? '' : `${progress.strategy}: `}${progress.phase} (${progress.total.toLocaleString('en')})\n`);
      const tenth = progress.total === 0 ? 10 : Math.floor((progress.done * 10) / progress.total);
      if (long && tenth > lastTenth) {
        lastTenth = tenth;
        io.stderr(`[${seconds}s] ${key} ${progress.done.toLocaleString('en')}/${progress.total.toLocaleString('en')}${rate}, RSS ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MB\n`);
      }
      lastKey = key;
      return;
    }
    const finished = progress.done === progress.total;
    // Redraw at most ten times a second: a bar per record would cost more than the work.
    if (key === lastKey && !finished && now - lastDrawn < 100) return;
    lastKey = key;
    lastDrawn = now;
    const share = progress.total === 0 ? 1 : progress.done / progress.total;
    const width = 24;
    const filled = Math.round(share * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    io.stderr(`\r\u001b[2K[${seconds}s] ${bar} ${(share * 100).toFixed(0).padStart(3)}% ${key} ${progress.done.toLocaleString('en')}/${progress.total.toLocaleString('en')}${rate}`);
    if (finished && progress.phase === 'cleanup') io.stderr('\n');
  };
}
