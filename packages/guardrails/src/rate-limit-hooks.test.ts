import { BackendError, ConfigurationError, createTenantVectorStore, customEmbedder, memoryBackend, RateLimitedError, type StoreHooks } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { describe, expect, it } from 'vitest';
import { memoryLimitStore, type LimitStore } from './limit-store.js';
import { rateLimitHooks, TenantLimitError, type RateLimitSettings } from './rate-limit-hooks.js';
import { useRedisLimitStores } from './redis-test-stores.js';
import { LimitStoreUnavailableError } from './tenant-errors.js';

const { freshRedisStore } = useRedisLimitStores();

/** A store whose embedder reports 10 tokens per text, with the limiter (and any extra hooks) on. */
async function limitedStore(settings: Omit<RateLimitSettings, 'store'> & { store: LimitStore }, extra: StoreHooks[] = []) {
  const embedded: string[] = [];
  const embedder = customEmbedder({
    dimension: 2,
    embed: async (texts) => (embedded.push(...texts), { embeddings: texts.map((text) => [1, text.length]), usage: { tokens: texts.length * 10 } }),
  });
  const holder: { count?: (tenant: string) => Promise<number> } = {};
  const limiter = rateLimitHooks({ countStored: (tenant) => holder.count!(tenant), ...settings });
  const store = await createTenantVectorStore({ backend: memoryBackend(), strategy: metadataFilter(), dimension: 2, embedder, hooks: [limiter, ...extra] });
  holder.count = (tenant) => store.forTenant(tenant).count();
  return { store, limiter, embedded };
}

const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
function refusalOf(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe.each([
  ['memory', () => memoryLimitStore()],
  ['redis', freshRedisStore],
] as const)('rate limit hooks on a %s limit store', (_, makeStore) => {
  it('refuses requests past the per-minute limit with retryAfterMs, per tenant', async () => {
    const { store } = await limitedStore({ limits: { requestsPerMinute: 3 }, store: makeStore() });
    const acme = store.forTenant('acme');
    for (let index = 0; index < 3; index += 1) await acme.count();
    const error = await refusal(acme.count());
    expect(RateLimitedError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(TenantLimitError);
    expect((error as TenantLimitError).limit).toBe('requestsPerMinute');
    expect((error as TenantLimitError).retryAfterMs).toBeGreaterThan(50_000);
    expect((error as TenantLimitError).retryAfterMs).toBeLessThanOrEqual(60_000);
    // Another tenant has its own budget.
    expect(await store.forTenant('globex').count()).toBe(0);
  });

  it('lets exactly the limit through when many requests of one tenant run in parallel', async () => {
    const { store } = await limitedStore({ limits: { requestsPerMinute: 25 }, store: makeStore() });
    const acme = store.forTenant('acme');
    const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => acme.count()));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(25);
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect(RateLimitedError.isInstance(outcome.reason)).toBe(true);
  });

  it('stops embedding once the daily token quota is used, and charges tokens after the fact', async () => {
    const { store, limiter, embedded } = await limitedStore({ limits: { embeddingTokensPerDay: 25 }, store: makeStore() });
    const acme = store.forTenant('acme');
    await acme.upsert([{ id: 'a', text: 'one' }, { id: 'b', text: 'two' }]);
    await acme.query({ text: 'three' });
    expect((await limiter.usage('acme')).embeddingTokensToday).toBe(30);
    const error = await refusal(acme.query({ text: 'four' }));
    expect((error as TenantLimitError).limit).toBe('embeddingTokensPerDay');
    expect((error as TenantLimitError).retryAfterMs).toBeLessThanOrEqual(86_400_000);
    expect(embedded).toEqual(['one', 'two', 'three']);
    // A query by vector embeds nothing, so the token quota does not apply to it.
    expect(await acme.query({ vector: [1, 0] })).toHaveLength(2);
  });

  it('holds the stored-vector quota, gives back refused reservations and recounts after deletes', async () => {
    const refuseQueries: StoreHooks = { beforeOperation: (start) => { if (start.operation === 'upsert' && start.counts.records === 2) throw new RateLimitedError('refused by a later hook', { retryAfterMs: 1 }); } };
    const { store, limiter } = await limitedStore({ limits: { vectorsStored: 5 }, store: makeStore() }, [refuseQueries]);
    const acme = store.forTenant('acme');
    await acme.upsert([{ id: 'a', vector: [1, 0] }, { id: 'b', vector: [1, 0] }, { id: 'c', vector: [1, 0] }]);
    // Reserved by the limiter, then refused by the hook after it: the reservation is given back.
    await expect(acme.upsert([{ id: 'd', vector: [1, 0] }, { id: 'e', vector: [1, 0] }])).rejects.toThrow('refused by a later hook');
    expect((await limiter.usage('acme')).vectorsStored).toBe(3);
    const error = await refusal(acme.upsert([{ id: 'd', vector: [1, 0] }, { id: 'e', vector: [1, 0] }, { id: 'f', vector: [1, 0] }]));
    expect((error as TenantLimitError).limit).toBe('vectorsStored');
    expect(await acme.count()).toBe(3);
    await acme.delete({ ids: ['a', 'b'] });
    expect((await limiter.usage('acme')).vectorsStored).toBe(1);
    await acme.upsert([{ id: 'd', vector: [1, 0] }, { id: 'e', vector: [1, 0] }, { id: 'f', vector: [1, 0] }, { id: 'g', vector: [1, 0] }]);
    expect(await acme.count()).toBe(5);
    await store.dropTenant('acme');
    expect((await limiter.usage('acme')).vectorsStored).toBe(0);
  });

  it('never stores more than the quota when parallel upserts race for it', async () => {
    const { store } = await limitedStore({ limits: { vectorsStored: 10 }, store: makeStore() });
    const acme = store.forTenant('acme');
    await Promise.allSettled(Array.from({ length: 30 }, (_, index) => acme.upsert([{ id: `r${index}`, vector: [1, index] }])));
    expect(await acme.count()).toBe(10);
  });
});

describe('rate limit hooks settings', () => {
  it('take limits per tenant from a function; tenants without limits are unlimited', async () => {
    const { store } = await limitedStore({ limits: (tenant) => (tenant === 'free' ? { requestsPerMinute: 1 } : undefined), store: memoryLimitStore() });
    await store.forTenant('free').count();
    await expect(store.forTenant('free').count()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    for (let index = 0; index < 5; index += 1) await store.forTenant('paid').count();
  });

  it('refuse a misspelt limit or setting, naming its path and the setting meant', () => {
    const store = memoryLimitStore();
    const misspelt = (settings: unknown) => refusalOf(() => rateLimitHooks(settings as RateLimitSettings));
    const limit = misspelt({ limits: { requestsPerMinut: 2 }, store });
    expect(limit).toBeInstanceOf(ConfigurationError);
    expect((limit as Error).message).toMatch(/rateLimitHooks\.limits\.requestsPerMinut: unknown setting; did you mean requestsPerMinute\?/);
    expect((misspelt({ limits: {}, store, whenStoreUnavailible: 'fail-open' }) as Error).message).toMatch(/rateLimitHooks\.whenStoreUnavailible: unknown setting; did you mean whenStoreUnavailable\?/);
    expect((misspelt({ limits: { vectorsStored: -1 }, store }) as Error).message).toMatch(/rateLimitHooks\.limits\.vectorsStored/);
    expect((misspelt({ limits: {}, store: {} }) as Error).message).toMatch(/rateLimitHooks\.store: must be a limit store/);
  });

  it('refuse a misspelt limit that a per-tenant lookup returns, instead of leaving the tenant unlimited', async () => {
    const { store } = await limitedStore({ limits: () => ({ requestsPerMinut: 1 }) as never, store: memoryLimitStore() });
    await expect(store.forTenant('acme').count()).rejects.toThrow(/rateLimitHooks\.limits\(tenant\)\.requestsPerMinut: unknown setting; did you mean requestsPerMinute\?/);
  });
});

describe('rate limit hooks failing open: only the limit store failing is an outage', () => {
  const reported = () => {
    const errors: LimitStoreUnavailableError[] = [];
    return { errors, onStoreUnavailable: (error: LimitStoreUnavailableError) => void errors.push(error) };
  };

  it('lets a request through uncounted when the limit store fails, and reports it', async () => {
    const outage = reported();
    const broken: LimitStore = { ...memoryLimitStore(), consume: () => Promise.reject(new Error('connection reset')) };
    const { store } = await limitedStore({ limits: { requestsPerMinute: 1 }, store: broken, whenStoreUnavailable: 'fail-open', onStoreUnavailable: outage.onStoreUnavailable });
    expect(await store.forTenant('acme').count()).toBe(0);
    expect(outage.errors).toHaveLength(1);
    expect(outage.errors[0]!.reason).toBe('LIMIT_STORE_UNAVAILABLE');
    expect((outage.errors[0]!.cause as Error).message).toBe('connection reset');
  });

  it('refuses the request when a limits lookup throws, and reports no outage', async () => {
    const outage = reported();
    const limits = () => {
      throw new TypeError('plan table is broken');
    };
    const { store } = await limitedStore({ limits, store: memoryLimitStore(), whenStoreUnavailable: 'fail-open', onStoreUnavailable: outage.onStoreUnavailable });
    const error = await refusal(store.forTenant('acme').count());
    expect(error).toBeInstanceOf(TypeError);
    expect(LimitStoreUnavailableError.isInstance(error)).toBe(false);
    expect(outage.errors).toEqual([]);
  });

  it('does not report a vector-store failure during a recount as a limit-store outage', async () => {
    const outage = reported();
    const countStored = () => Promise.reject(new BackendError('vector store is down'));
    const { store, limiter } = await limitedStore({ limits: { vectorsStored: 5 }, store: memoryLimitStore(), countStored, whenStoreUnavailable: 'fail-open', onStoreUnavailable: outage.onStoreUnavailable });
    const acme = store.forTenant('acme');
    await acme.upsert([{ id: 'a', vector: [1, 0] }, { id: 'b', vector: [1, 0] }]);
    await acme.delete({ ids: ['a'] });
    expect(outage.errors).toEqual([]);
    // The recount failed: the count stays high until the next one.
    expect((await limiter.usage('acme')).vectorsStored).toBe(2);
  });
});
