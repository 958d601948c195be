import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll } from 'vitest';
import type { LimitStore } from './limit-store.js';
import { redisLimitStore } from './redis-limit-store.js';

export const redisUrl = 'redis://127.0.0.1:6379';

/**
 * Test support, not shipped: registers a connection to the local Redis for the calling test
 * file, and hands out key prefixes and limit stores that never meet another test's keys. Every
 * key made under those prefixes is deleted when the file's tests end.
 */
export function useRedisLimitStores(): { freshKeyPrefix(): string; freshRedisStore(): LimitStore } {
  const redis = createClient({ url: redisUrl });
  const prefixes: string[] = [];
  beforeAll(async () => void (await redis.connect()));
  afterAll(async () => {
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(keys);
    }
    await redis.quit();
  });
  const freshKeyPrefix = () => {
    const keyPrefix = `tenantvec-test:${randomUUID()}:`;
    prefixes.push(keyPrefix);
    return keyPrefix;
  };
  return { freshKeyPrefix, freshRedisStore: () => redisLimitStore({ client: redis, keyPrefix: freshKeyPrefix() }) };
}
