#!/usr/bin/env node
// Committed, not built: npm links node_modules/.bin/tenantvec at install time only when the bin
// file already exists, which dist/cli.js does not until the first build.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (existsSync(cli)) {
  await import(cli.href);
} else {
  process.stderr.write('tenantvec: the CLI is not built yet (no dist/cli.js): run npm run build first. (NOT_BUILT)\n');
  process.exitCode = 1;
}
