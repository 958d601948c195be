#!/usr/bin/env node
// `npm test`: every workspace's `test` script through turbo (built first, cached per package),
// then one line of totals for the whole repository, `tests: N passed, N failed, N skipped`, which
// CI reads. Each package run leaves its totals in test-results/totals.json (vitest.package.ts);
// turbo restores that file for a cached package, so cached packages count too.
// Every package runs even when one fails (--continue), so the totals are whole.
// Arguments go to turbo: `npm test -- --filter=@tenantvec/qdrant`, `npm test -- --force`.
import { execFileSync, spawnSync } from 'node:child_process';
import console from 'node:console';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const totalsFile = 'test-results/totals.json';
const turbo = join(root, 'node_modules', '.bin', 'turbo');
const passed = process.argv.slice(2);
// Two cores run six vitest pools at most; more packages at once only queue on the CPU.
const concurrency = passed.some((argument) => argument.startsWith('--concurrency')) ? [] : ['--concurrency=3'];

/** The packages this run tests, from turbo's own plan (a dry run), so a filter narrows the totals too. */
function plannedPackages() {
  const plan = JSON.parse(execFileSync(turbo, ['run', 'test', '--dry=json', ...passed], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
  return plan.tasks.filter((task) => task.task === 'test' && task.command !== '<NONEXISTENT>').map((task) => ({ name: task.package, directory: join(root, task.directory) }));
}

const packages = plannedPackages();
// A totals file left by an earlier run must not stand in for a package that did not run now.
for (const { directory } of packages) rmSync(join(directory, totalsFile), { force: true });

const run = spawnSync(turbo, ['run', 'test', '--continue', '--output-logs=new-only', ...concurrency, ...passed], { cwd: root, stdio: 'inherit' });

const totals = { passed: 0, failed: 0, skipped: 0 };
const backends = new Set();
const missing = [];
for (const { name, directory } of packages) {
  const file = join(directory, totalsFile);
  if (!existsSync(file)) {
    missing.push(name);
    continue;
  }
  const counts = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  for (const backend of counts.conformanceBackends) backends.add(backend);
}

// TENANTVEC_BACKENDS is read in each package, which knows only its own backends: a name no
// package registered is a typo that would otherwise narrow the run to nothing and pass.
const wanted = (process.env.TENANTVEC_BACKENDS ?? '').split(',').map((name) => name.trim()).filter(Boolean);
const filtered = passed.some((argument) => argument.startsWith('--filter') || argument === '-F');
const unknown = filtered || missing.length > 0 ? [] : wanted.filter((name) => !backends.has(name));
if (unknown.length > 0) console.error(`TENANTVEC_BACKENDS names unknown backends: ${unknown.join(', ')}; known: ${[...backends].sort().join(', ')}`);
if (missing.length > 0) console.error(`no test totals from: ${missing.join(', ')} (did the run stop before them?)`);

process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
const failed = run.status !== 0 || totals.failed > 0 || missing.length > 0 || unknown.length > 0;
process.exit(failed ? 1 : 0);
