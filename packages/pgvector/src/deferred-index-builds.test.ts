import type { TenantVecError } from '@tenantvec/core/backend';
import { BackendError } from '@tenantvec/core/backend';
import { describe, expect, it } from 'vitest';
import { DeferredIndexBuilds } from './deferred-index-builds.js';
import type { BuildOutcome } from './index-builder.js';
import type { Target } from './table-layout.js';

const target: Target = { table: 'docs', metric: 'cosine', keyColumn: 'tenant' };

/** A load that writes the given keys past the threshold, and builds that answer per key. */
async function loadWith(keys: string[], outcomes: Record<string, BuildOutcome | Error>, loadError?: Error) {
  const builds = new DeferredIndexBuilds();
  const progress: { done: number; total: number }[] = [];
  const attempted: string[] = [];
  const result = builds.around(
    {
      load: async () => {
        for (const key of keys) expect(builds.defer(target, key)).toBe(true);
        if (loadError !== undefined) throw loadError;
        return 'loaded';
      },
      onIndexBuild: (step) => progress.push(step),
    },
    async (_, key) => {
      attempted.push(key);
      const outcome = outcomes[key] ?? 'built';
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  );
  return { result, progress, attempted };
}

describe('deferred index builds', () => {
  it('builds each owed key once, counts only what it built, and reports progress to the end', async () => {
    const { result, progress, attempted } = await loadWith(['a', 'b', 'a', 'c'], { b: 'skipped' });
    expect(await result).toMatchObject({ value: 'loaded', indexesBuilt: 2 });
    expect(attempted).toEqual(['a', 'b', 'c']);
    expect(progress.at(-1)).toEqual({ done: 3, total: 3 });
  });

  it('does not defer a write made outside every load', () => {
    expect(new DeferredIndexBuilds().defer(target, 'a')).toBe(false);
  });

  it('skips a table dropped meanwhile, and still reaches the end of its progress', async () => {
    const dropped = new BackendError('gone', { cause: Object.assign(new Error('relation does not exist'), { code: '42P01' }) });
    const { result, progress } = await loadWith(['a', 'b'], { a: dropped });
    expect(await result).toMatchObject({ indexesBuilt: 1 });
    expect(progress.at(-1)).toEqual({ done: 2, total: 2 });
  });

  it('rethrows one failed build as it came, after trying the others', async () => {
    const failure = new BackendError('deadlock detected', { retryable: true });
    const { result, attempted } = await loadWith(['a', 'b'], { a: failure });
    await expect(result).rejects.toBe(failure);
    expect(attempted).toEqual(['a', 'b']);
  });

  it('reports several failures as one backend error, retryable only when each was, naming no key', async () => {
    const { result } = await loadWith(['tenant-secret-a', 'tenant-secret-b'], {
      'tenant-secret-a': new BackendError('deadlock on tenant-secret-a', { retryable: true }),
      'tenant-secret-b': new BackendError('permission denied'),
    });
    const error = await result.catch((caught: unknown) => caught);
    expect(BackendError.isInstance(error)).toBe(true);
    expect((error as TenantVecError).isRetryable).toBe(false);
    expect((error as Error).message).toMatch(/^2 of 2 index builds after the bulk load failed/);
    expect((error as Error).message).not.toMatch(/secret/);
    expect(((error as Error).cause as AggregateError).errors).toHaveLength(2);
  });

  it('still builds what a failed load wrote, and rejects with the load\'s own error first', async () => {
    const loadError = new Error('the source file ended early');
    const { result, attempted } = await loadWith(['a'], { a: new BackendError('out of memory') }, loadError);
    await expect(result).rejects.toBe(loadError);
    expect(attempted).toEqual(['a']);
  });
});
