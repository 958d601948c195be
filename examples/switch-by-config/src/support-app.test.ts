import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSupportApp } from './support-app.js';

const configs = ['metadata-filter.yaml', 'namespace-per-tenant.json', 'collection-per-tenant.yaml'];
const path = (file: string) => fileURLToPath(new URL(`../configs/${file}`, import.meta.url));

describe('switch by config', () => {
  it('behaves the same under each config, with the strategy the config names', async () => {
    const runs = await Promise.all(configs.map((file) => runSupportApp(path(file))));
    expect(runs.map((run) => run.strategy)).toEqual(['metadata-filter', 'namespace-per-tenant', 'collection-per-tenant']);
    for (const run of runs.slice(1)) expect(run.answers).toEqual(runs[0]!.answers);
    const northwind = runs[0]!.answers.filter((answer) => answer.tenant === 'northwind');
    expect(northwind.map((answer) => answer.answers[0])).toEqual([
      'T-1: Invoice total is wrong after the discount was applied',
      'T-2: Cannot reset my password from the login page',
    ]);
    // contoso has no account tickets: its password question finds its billing ticket, never northwind's.
    expect(runs[0]!.answers.filter((answer) => answer.tenant === 'contoso').flatMap((answer) => answer.answers).every((text) => !text.includes('password'))).toBe(true);
  });
});
