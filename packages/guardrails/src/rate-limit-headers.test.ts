import { createTenantVectorStore, localEmbedder, memoryBackend } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { honoRateLimitHeaders, honoTenant, honoTenantErrors } from './hono.js';
import { memoryLimitStore } from './limit-store.js';
import { rateLimitHooks } from './rate-limit-hooks.js';
import { scopeFor } from './tenant-context.js';

const limiter = rateLimitHooks({ limits: { requestsPerMinute: 2 }, store: memoryLimitStore() });
const store = await createTenantVectorStore({ backend: memoryBackend(), strategy: metadataFilter(), dimension: 8, embedder: localEmbedder({ dimension: 8 }), hooks: [limiter] });
const app = new Hono();
app.onError(honoTenantErrors);
app.use('*', honoRateLimitHeaders());
app.use('*', honoTenant({ apiKeys: { 'key-acme': 'acme', 'key-globex': 'globex' } }));
app.get('/count', async (context) => context.json({ count: await scopeFor(store).count() }));
app.get('/hello', (context) => context.json({ hello: true }));

const get = async (path: string, key: string) => {
  const response = await app.request(path, { headers: { 'x-api-key': key } });
  await response.arrayBuffer();
  return { status: response.status, headers: Object.fromEntries(response.headers) };
};

describe('honoRateLimitHeaders', () => {
  it('sends RateLimit-Limit, -Remaining and -Reset on every counted response, and Retry-After on 429', async () => {
    const first = await get('/count', 'key-acme');
    expect(first).toMatchObject({ status: 200, headers: { 'ratelimit-limit': '2', 'ratelimit-remaining': '1' } });
    const reset = Number(first.headers['ratelimit-reset']);
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(60);
    expect((await get('/count', 'key-acme')).headers['ratelimit-remaining']).toBe('0');
    const limited = await get('/count', 'key-acme');
    expect(limited).toMatchObject({ status: 429, headers: { 'ratelimit-limit': '2', 'ratelimit-remaining': '0' } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['ratelimit-reset'])).toBeGreaterThan(0);
    // Another tenant's window is its own.
    expect((await get('/count', 'key-globex')).headers['ratelimit-remaining']).toBe('1');
  });

  it('sends none for a request that ran no counted operation', async () => {
    const hello = await get('/hello', 'key-acme');
    expect(hello.status).toBe(200);
    expect(hello.headers['ratelimit-limit']).toBeUndefined();
  });
});
