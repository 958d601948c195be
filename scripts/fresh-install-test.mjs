#!/usr/bin/env node
// The packages as a user gets them: `npm pack` tarballs installed into two apps outside the
// monorepo, a strict TypeScript ESM app (node16 and bundler resolution, exactOptionalPropertyTypes,
// no skipLibCheck) and a CommonJS app without PGlite, each type-checked and then running the
// README example on memory, PGlite and (with DATABASE_URL) native Postgres. A third app is a
// backend author's: it runs the conformance package's README example against an adapter of its own.
// Run after `npm run build`: `npm run test:fresh-install`. One `npm install` per app.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import console from 'node:console';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const packages = ['core', 'metadata-filter', 'pgvector'];
// What `@tenantvec/conformance` brings with it: the strategies its suites run under.
const conformancePackages = ['conformance', 'collection-per-tenant', 'namespace-per-tenant', 'source-prefix', 'tiered'];
const work = mkdtempSync(join(tmpdir(), 'tenantvec-fresh-install-'));
const databaseUrl = process.env.DATABASE_URL;
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pgvectorManifest = JSON.parse(readFileSync(join(root, 'packages/pgvector/package.json'), 'utf8'));
let failures = 0;

function step(text) {
  console.log(`\n-- ${text}`);
}

function run(command, args, cwd) {
  execFileSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
}

function check(ok, text) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${text}`);
  if (!ok) failures += 1;
}

/** Runs a program; resolves with its output and how long it lived after printing "done". */
function runProgram(file, cwd, environment = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { cwd, env: { ...process.env, ...environment } });
    let output = '';
    let doneAt;
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (doneAt === undefined && output.includes('done\n')) doneAt = Date.now();
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, output, lingeredMs: doneAt === undefined ? undefined : Date.now() - doneAt });
    });
  });
}

/** The README's "In 20 lines" example, as printed. */
function readmeExample() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /## In 20 lines\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined || !block.includes('memoryBackend()')) throw new Error('README.md has no "In 20 lines" example with memoryBackend().');
  if (!block.trimEnd().endsWith('await store.close();                      // releases the backend\'s connections, so the process can exit')) {
    check(false, 'the README example ends with await store.close()');
  }
  return block;
}

/** The example with its backend swapped and its results checked, so a wrong answer fails the run. */
function exampleOn(backendExpression, example) {
  const [imports, body] = splitImports(example.replace('backend: memoryBackend(),', `backend: ${backendExpression},`));
  return { imports, body: `${body}\nif (hits[0]?.id !== 'q4-report' || hits[0]?.branches?.keyword?.rank !== 1) throw new Error('the example found ' + JSON.stringify(hits));\nconsole.log('done');\n` };
}

function splitImports(code) {
  const lines = code.split('\n');
  const importLines = lines.filter((line) => line.startsWith('import '));
  return [importLines.join('\n'), lines.filter((line) => !line.startsWith('import ')).join('\n')];
}

const strictOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: false,
  target: 'ES2022',
  lib: ['ES2023'],
  types: ['node'],
};

function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

step(`pack ${packages.join(', ')} into ${work}`);
for (const name of [...packages, ...conformancePackages]) {
  if (!existsSync(join(root, 'packages', name, 'dist', 'index.js'))) throw new Error(`packages/${name} is not built: run npm run build first.`);
}
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
run('npm', ['pack', '--silent', '--pack-destination', tarballs, ...[...packages, ...conformancePackages].flatMap((name) => ['--workspace', `packages/${name}`])], root);
const tarballOf = (name) => `file:${join(tarballs, readdirSync(tarballs).find((file) => file.startsWith(`tenantvec-${name}-`)))}`;
const tenantvecDependencies = Object.fromEntries(packages.map((name) => [`@tenantvec/${name}`, tarballOf(name)]));
const toolDependencies = { typescript: rootManifest.devDependencies.typescript, '@types/node': rootManifest.devDependencies['@types/node'], pg: pgvectorManifest.devDependencies.pg };

// ---- ESM app: strict TypeScript, node16 and bundler resolution, all three engines.
const esm = join(work, 'esm-app');
mkdirSync(esm);
const pglite = { '@electric-sql/pglite': pgvectorManifest.devDependencies['@electric-sql/pglite'], '@electric-sql/pglite-pgvector': pgvectorManifest.devDependencies['@electric-sql/pglite-pgvector'] };
writeJson(join(esm, 'package.json'), { name: 'fresh-esm-app', private: true, type: 'module', dependencies: { ...tenantvecDependencies, ...toolDependencies, ...pglite } });
step('install the ESM app');
run('npm', ['install', '--prefer-offline', '--no-fund', '--no-audit', '--loglevel=error'], esm);

const example = readmeExample();
const engines = {
  memory: exampleOn('memoryBackend()', example),
  pglite: exampleOn('pglite()', example),
  native: exampleOn('pgvector({ connectionString: process.env.DATABASE_URL! })', example),
};
mkdirSync(join(esm, 'src'));
for (const [engine, { imports, body }] of Object.entries(engines)) {
  // Embedded Postgres is pglite(), a server is pgvector(): the factory says which.
  const extraImports = engine === 'memory' ? '' : `import { ${engine === 'pglite' ? 'pglite' : 'pgvector'} } from '@tenantvec/pgvector';\n`;
  writeFileSync(join(esm, 'src', `readme-${engine}.ts`), `${imports}\n${extraImports}${body}`);
}
// The contract, checked in the user's strict settings: the in-memory backend is a VectorBackend.
writeFileSync(join(esm, 'src', 'contracts.ts'), "import { memoryBackend, type VectorBackend } from '@tenantvec/core';\nexport const backend: VectorBackend = memoryBackend();\n");
writeJson(join(esm, 'tsconfig.node16.json'), { compilerOptions: { ...strictOptions, module: 'node16', moduleResolution: 'node16', outDir: 'dist' }, include: ['src'] });
writeJson(join(esm, 'tsconfig.bundler.json'), { compilerOptions: { ...strictOptions, module: 'esnext', moduleResolution: 'bundler', noEmit: true }, include: ['src'] });

const tsc = (cwd, project) => {
  try {
    run(process.execPath, [join(cwd, 'node_modules/typescript/bin/tsc'), '-p', project], cwd);
    return true;
  } catch {
    return false;
  }
};
step('type-check the ESM app (node16, then bundler)');
check(tsc(esm, 'tsconfig.node16.json'), 'strict ESM app type-checks with moduleResolution node16, no skipLibCheck');
check(tsc(esm, 'tsconfig.bundler.json'), 'strict ESM app type-checks with moduleResolution bundler, no skipLibCheck');

step('run the README example');
for (const engine of Object.keys(engines)) {
  if (engine === 'native' && databaseUrl === undefined) {
    console.log('skip native: DATABASE_URL is not set');
    continue;
  }
  const result = await runProgram(join('dist', `readme-${engine}.js`), esm);
  check(result.code === 0 && result.lingeredMs !== undefined, `README example on ${engine} (ESM) ${result.code === 0 ? '' : result.output}`);
  // Without store.close() a pool or engine keeps the process alive for seconds after the work.
  check(result.lingeredMs !== undefined && result.lingeredMs < 3_000, `the ${engine} example exits promptly after its last line (${result.lingeredMs} ms)`);
}

// ---- CommonJS app: require() of the packages, no PGlite installed.
const cjs = join(work, 'cjs-app');
mkdirSync(join(cjs, 'src'), { recursive: true });
writeJson(join(cjs, 'package.json'), { name: 'fresh-cjs-app', private: true, type: 'commonjs', dependencies: { ...tenantvecDependencies, ...toolDependencies } });
step('install the CommonJS app (server only: no PGlite)');
run('npm', ['install', '--prefer-offline', '--no-fund', '--no-audit', '--loglevel=error'], cjs);
check(!existsSync(join(cjs, 'node_modules/@electric-sql/pglite')), 'a server-only install has no PGlite (an optional peer dependency)');

for (const engine of ['memory', 'native']) {
  const { imports, body } = engines[engine];
  const extraImports = engine === 'memory' ? '' : "import { pgvector } from '@tenantvec/pgvector';\n";
  // CommonJS has no top-level await: the same lines inside an async function.
  const wrapped = `${imports}\n${extraImports}async function main(): Promise<void> {\n${body}}\nmain().catch((error: unknown) => { console.error(error); process.exitCode = 1; });\n`;
  writeFileSync(join(cjs, 'src', `readme-${engine}.ts`), wrapped);
}
// Without PGlite installed, asking for the embedded engine says what to install.
writeFileSync(
  join(cjs, 'src', 'missing-pglite.js'),
  `const { createTenantVectorStore } = require('@tenantvec/core');
const { metadataFilter } = require('@tenantvec/metadata-filter');
const { pglite } = require('@tenantvec/pgvector');
createTenantVectorStore({ backend: pglite({ dataDir: require('node:os').tmpdir() + '/tenantvec-fresh-pglite' }), strategy: metadataFilter(), dimension: 4 })
  .then(() => console.log('unexpected: no error'), (error) => console.log(error.code + ': ' + error.message + '\\ndone'));
`,
);
writeJson(join(cjs, 'tsconfig.json'), { compilerOptions: { ...strictOptions, module: 'node16', moduleResolution: 'node16', outDir: 'dist' }, include: ['src/*.ts'] });
step('type-check the CommonJS app (node16, require conditions)');
check(tsc(cjs, 'tsconfig.json'), 'strict CommonJS app type-checks, no skipLibCheck');

step('run the README example from CommonJS');
for (const engine of ['memory', 'native']) {
  if (engine === 'native' && databaseUrl === undefined) continue;
  const result = await runProgram(join('dist', `readme-${engine}.js`), cjs);
  check(result.code === 0 && result.lingeredMs !== undefined, `README example on ${engine} (CommonJS) ${result.code === 0 ? '' : result.output}`);
}
const missing = await runProgram(join('src', 'missing-pglite.js'), cjs);
check(/CONFIGURATION: .*npm install @electric-sql\/pglite/.test(missing.output), `without PGlite the embedded engine names what to install: ${missing.output.trim().split('\n')[0]}`);

// ---- A backend author's app: the conformance README's example, verbatim, against their adapter.
const author = join(work, 'author-app');
mkdirSync(join(author, 'src'), { recursive: true });
mkdirSync(join(author, 'test'));
const authorDependencies = Object.fromEntries(['core', 'metadata-filter', ...conformancePackages].map((name) => [`@tenantvec/${name}`, tarballOf(name)]));
writeJson(join(author, 'package.json'), { name: 'fresh-backend-author', private: true, type: 'module', devDependencies: { ...authorDependencies, vitest: rootManifest.devDependencies.vitest } });
step('install the backend author app (@tenantvec/conformance and vitest)');
run('npm', ['install', '--prefer-offline', '--no-fund', '--no-audit', '--loglevel=error'], author);
const conformanceReadme = readFileSync(join(root, 'packages/conformance/README.md'), 'utf8');
const authorTest = /```ts\n(\/\/ test\/conformance\.test\.ts[\s\S]*?)```/.exec(conformanceReadme)?.[1];
check(authorTest !== undefined, 'the conformance README has its "Run it against your adapter" example');
// The author's adapter: here the memory backend under another name, taking the example's settings.
writeFileSync(join(author, 'src', 'index.ts'), "import { memoryBackend } from '@tenantvec/core';\nexport function myBackend({ url: _url, ...settings }: { url?: string; maxBatchSize?: number }) {\n  return memoryBackend(settings);\n}\n");
writeFileSync(join(author, 'test', 'conformance.test.ts'), authorTest ?? '');
writeFileSync(join(author, 'vitest.config.ts'), "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 120_000 } });\n");
step('run the conformance suite in the author app');
const vitestRun = spawnSync(process.execPath, [join(author, 'node_modules/vitest/vitest.mjs'), 'run', 'test/conformance.test.ts'], { cwd: author, encoding: 'utf8', env: { ...process.env, MY_URL: 'http://127.0.0.1:9000', TENANTVEC_BACKENDS: '', TENANTVEC_STRATEGIES: '', NO_COLOR: '1', FORCE_COLOR: '0' } });
const passedLine = /Tests\s+(\d+) passed \((\d+)\)/.exec(vitestRun.stdout);
check(vitestRun.status === 0 && passedLine !== null && passedLine[1] === passedLine[2], `runConformance outside the workspace: ${passedLine === null ? `${vitestRun.stdout}${vitestRun.stderr}` : `${passedLine[1]} of ${passedLine[2]} cases passed`}`);

if (failures === 0) rmSync(work, { recursive: true, force: true });
console.log(failures === 0 ? '\nfresh install: all checks passed' : `\nfresh install: ${failures} check(s) failed; the apps are in ${work}`);
process.exitCode = failures === 0 ? 0 : 1;
