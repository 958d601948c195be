import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { memoryLimitStore, type LimitStore } from './limit-store.js';
import { redisLimitStore } from './redis-limit-store.js';
import { redisUrl, useRedisLimitStores } from './redis-test-stores.js';

const { freshKeyPrefix, freshRedisStore } = useRedisLimitStores();

const stores: Array<[string, () => LimitStore]> = [
  ['memory', () => memoryLimitStore()],
  ['redis', freshRedisStore],
];

describe.each(stores)('%s limit store', (_, makeStore) => {
  it('consumes up to the limit, all or nothing, and reports the window', async () => {
    const store = makeStore();
    expect(await store.consume({ key: 'a', amount: 3, limit: 5, windowMs: 60_000 })).toMatchObject({ allowed: true, total: 3 });
    const refused = await store.consume({ key: 'a', amount: 3, limit: 5, windowMs: 60_000 });
    expect(refused).toMatchObject({ allowed: false, total: 3 });
    expect(refused.resetInMs).toBeGreaterThan(59_000);
    expect(refused.resetInMs).toBeLessThanOrEqual(60_000);
    expect(await store.consume({ key: 'a', amount: 2, limit: 5, windowMs: 60_000 })).toMatchObject({ allowed: true, total: 5 });
    expect(await store.read('a')).toBe(5);
    expect(await store.read('other')).toBe(0);
  });

  it('counts without a window until written, and never below zero', async () => {
    const store = makeStore();
    expect(await store.consume({ key: 's', amount: 4, limit: 10 })).toMatchObject({ allowed: true, total: 4, resetInMs: undefined });
    expect(await store.add({ key: 's', amount: -10 })).toBe(0);
    expect(await store.add({ key: 's', amount: 7 })).toBe(7);
    await store.write('s', 2);
    expect(await store.read('s')).toBe(2);
  });

  it('never lets parallel consumers pass the limit together', async () => {
    const store = makeStore();
    const results = await Promise.all(Array.from({ length: 200 }, () => store.consume({ key: 'burst', amount: 1, limit: 37, windowMs: 60_000 })));
    expect(results.filter((result) => result.allowed)).toHaveLength(37);
    expect(await store.read('burst')).toBe(37);
  });
});

describe('redis limit store atomicity across clients', () => {
  it('holds the limit when many connections race, as several service processes would', async () => {
    const keyPrefix = freshKeyPrefix();
    const clients = await Promise.all(Array.from({ length: 8 }, () => createClient({ url: redisUrl }).connect()));
    try {
      const stores = clients.map((client) => redisLimitStore({ client, keyPrefix }));
      const attempts = Array.from({ length: 400 }, (_, index) => stores[index % stores.length]!.consume({ key: 'shared', amount: 1 + (index % 3), limit: 250, windowMs: 60_000 }));
      const results = await Promise.all(attempts);
      const granted = results.filter((result) => result.allowed).length;
      const total = await stores[0]!.read('shared');
      expect(total).toBeLessThanOrEqual(250);
      // Every grant is in the total: nothing was lost to a race between read and write.
      const grantedAmount = results.reduce((sum, result, index) => sum + (result.allowed ? 1 + (index % 3) : 0), 0);
      expect(total).toBe(grantedAmount);
      expect(granted).toBeGreaterThan(0);
      expect(total).toBeGreaterThan(240);
    } finally {
      await Promise.all(clients.map((client) => client.quit()));
    }
  });
});

describe('memory limit store windows', () => {
  it('starts a fresh window once the old one has passed', async () => {
    let now = 1_000_000;
    const store = memoryLimitStore({ now: () => now });
    await store.consume({ key: 'w', amount: 2, limit: 2, windowMs: 1_000 });
    expect((await store.consume({ key: 'w', amount: 1, limit: 2, windowMs: 1_000 })).allowed).toBe(false);
    now += 1_000;
    expect(await store.consume({ key: 'w', amount: 1, limit: 2, windowMs: 1_000 })).toMatchObject({ allowed: true, total: 1, resetInMs: 1_000 });
  });
});
