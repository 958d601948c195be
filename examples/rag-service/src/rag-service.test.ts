import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { randomUUID } from 'node:crypto';
import { redisLimitStore } from '@tenantvec/guardrails';
import { SignJWT } from 'jose';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRagService } from './rag-service.js';
import { chooseRagStore } from './rag-store.js';

const secret = 'end-to-end-test-secret-0123456789abcdef';
const audience = 'rag-service';
const token = (tenant: string, key = secret) =>
  new SignJWT({ tenant_id: tenant }).setProtectedHeader({ alg: 'HS256' }).setAudience(audience).setExpirationTime('5m').sign(new TextEncoder().encode(key));

const redis = createClient({ url: 'redis://127.0.0.1:6379' });
const keyPrefix = `rag-service-test:${randomUUID()}:`;
let service: Awaited<ReturnType<typeof createRagService>>;
let server: ServerType;
let base = '';

beforeAll(async () => {
  await redis.connect();
  service = await createRagService({
    // Limits in the real local Redis, as a service with several instances would keep them.
    limitStore: redisLimitStore({ client: redis, keyPrefix }),
    auth: { jwt: { secret, audience } },
    // The offline embedder and memory backend, whatever the machine's environment says.
    store: chooseRagStore({}),
    limits: (tenant) => (tenant === 'tiny' ? { requestsPerMinute: 2 } : { requestsPerMinute: 100 }),
  });
  server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await service.close();
  const keys = await redis.keys(`${keyPrefix}*`);
  if (keys.length > 0) await redis.del(keys);
  await redis.quit();
});

async function call(path: string, body: unknown, tenant?: string, headers: Record<string, string> = {}) {
  const response = await fetch(base + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(tenant === undefined ? {} : { authorization: `Bearer ${await token(tenant)}` }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

type AskAnswer = { answer: string; chunks: Array<{ id: string; text: string; source?: string }> };

describe('rag-service over HTTP', () => {
  it('keeps two tenants apart: each asks the same question and sees only its own documents', async () => {
    const acmeIngest = await call('/ingest', { documents: [
      { id: 'refunds', text: 'Acme refunds are paid within 14 days of the return.', source: 'policies/refunds' },
      { id: 'roadmap', text: 'Acme roadmap: launch the rocket skates in spring.' },
    ] }, 'acme');
    expect(acmeIngest).toMatchObject({ status: 200, body: { ingested: 2, chunks: 2 } });
    // The same document id in another tenant is another document.
    const globexIngest = await call('/ingest', { documents: [{ id: 'refunds', text: 'Globex refunds are never paid; secret roadmap: acquire Acme.' }] }, 'globex');
    expect(globexIngest.status).toBe(200);

    const acme = await call('/ask', { question: 'when are refunds paid? what is the secret roadmap?', topK: 10 }, 'acme');
    const globex = await call('/ask', { question: 'when are refunds paid? what is the secret roadmap?', topK: 10 }, 'globex');
    const acmeChunks = (acme.body as unknown as AskAnswer).chunks;
    const globexChunks = (globex.body as unknown as AskAnswer).chunks;
    expect(acmeChunks.map((chunk) => chunk.id).sort()).toEqual(['refunds', 'roadmap']);
    expect(acmeChunks.every((chunk) => chunk.text.startsWith('Acme'))).toBe(true);
    expect(globexChunks.map((chunk) => chunk.text)).toEqual(['Globex refunds are never paid; secret roadmap: acquire Acme.']);
    expect((acme.body as unknown as AskAnswer).answer).toContain('Acme refunds');
    expect(acmeChunks.find((chunk) => chunk.id === 'refunds')?.source).toBe('policies/refunds');
  });

  it('answers 401 without a token, with a forged one, and for a bare tenant header', async () => {
    expect((await call('/ask', { question: 'refunds' })).status).toBe(401);
    const forged = await fetch(`${base}/ask`, { method: 'POST', headers: { authorization: `Bearer ${await token('acme', 'not-the-secret-0123456789abcdefghij')}`, 'content-type': 'application/json' }, body: '{"question":"refunds"}' });
    expect(forged.status).toBe(401);
    expect((await call('/ask', { question: 'refunds' }, undefined, { 'x-tenant-id': 'acme' })).status).toBe(401);
  });

  it('answers 403 when the body names another tenant, and 400 for a filter that tries to widen the scope', async () => {
    const mismatch = await call('/ask', { question: 'roadmap', tenantId: 'acme' }, 'globex');
    expect(mismatch).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    const widening = await call('/ask', { question: 'roadmap', filter: { $or: [{ tenant: 'acme' }, { document: 'refunds' }] } }, 'globex');
    expect(widening.status).toBe(400);
    expect(widening.body.error).toBe('invalid_filter');
    expect(service.audit.entries.at(-1)).toMatchObject({ tenant: 'globex', operation: 'query', outcome: 'rejected', errorCode: 'INVALID_FILTER' });
  });

  it('answers 429 with Retry-After once a tenant passes its rate limit, without touching other tenants', async () => {
    expect((await call('/ask', { question: 'anything' }, 'tiny')).status).toBe(200);
    expect((await call('/ask', { question: 'anything' }, 'tiny')).status).toBe(200);
    const limited = await call('/ask', { question: 'anything' }, 'tiny');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ error: 'rate_limited' });
    expect((await call('/ask', { question: 'anything' }, 'acme')).status).toBe(200);
  });

  it('meters usage per tenant and shows each tenant only its own', async () => {
    const usage = await call('/usage', undefined, 'acme');
    const months = usage.body.months as Array<{ tenant: string; vectorsWritten: number; queries: number }>;
    expect(months).toHaveLength(1);
    expect(months[0]).toMatchObject({ tenant: 'acme', vectorsWritten: 2 });
    expect(months[0]!.queries).toBeGreaterThanOrEqual(2);
  });
});
