import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pglite } from './index.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

describe('the README', () => {
  it('runs its smallest example as written, embedded, with no server', async () => {
    const readme = await readFile(join(packageRoot, 'README.md'), 'utf8');
    const example = /## Smallest example: embedded, no server\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    // Inside the package folder, so '@tenantvec/...' imports resolve as they would for a user.
    const file = join(packageRoot, `.readme-example-${process.pid}.ts`);
    await writeFile(file, example!);
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], { cwd: packageRoot });
      expect(stdout).toContain("id: 'doc-1'");
      expect(stdout.trim().endsWith('null')).toBe(true);
    } finally {
      await rm(file, { force: true });
    }
  });

  it('keeps an embedded database in dataDir across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tenantvec-pglite-'));
    try {
      const spec = { name: 'kept', dimension: 2, metric: 'cosine' as const, tenantField: true, partitioned: false };
      const first = pglite({ dataDir });
      await first.ensureCollection({ collection: spec });
      await first.rawUpsert({ location: { collection: 'kept' }, records: [{ id: 'a:1', recordId: '1', vector: [1, 0], metadata: { n: 1 }, tenant: 'a' }] });
      await first.close();
      const second = pglite({ dataDir });
      const [record] = await second.rawGet({ location: { collection: 'kept' }, scope: { tenant: 'a' }, ids: ['a:1'] });
      await second.close();
      expect(record?.metadata).toEqual({ n: 1 });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
