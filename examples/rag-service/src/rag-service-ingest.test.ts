import { ConfigurationError } from '@tenantvec/core';
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRagService } from './rag-service.js';
import { chooseRagStore } from './rag-store.js';

const secret = 'ingest-test-secret-0123456789abcdefghij';
const audience = 'rag-service';
const sign = (claims: JWTPayload, expires: string | null = '5m') => {
  const jwt = new SignJWT({ tenant_id: 'acme', ...claims }).setProtectedHeader({ alg: 'HS256' }).setAudience(audience).setIssuedAt();
  return (expires === null ? jwt : jwt.setExpirationTime(expires)).sign(new TextEncoder().encode(secret));
};

let service: Awaited<ReturnType<typeof createRagService>>;
beforeAll(async () => {
  // The service's own defaults: embedded Postgres (PGlite), default limits.
  service = await createRagService({ auth: { jwt: { secret, audience } }, store: chooseRagStore({}) });
});
afterAll(async () => service.close());

async function post(path: string, body: string, token?: string) {
  const response = await service.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token ?? (await sign({}))}` },
    body,
  });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: (await response.json()) as Record<string, unknown> };
}

/** About `bytes` of prose: paragraphs of 160 words, so passages are full size, each one different. */
function document(bytes: number): string {
  const paragraphs: string[] = [];
  let size = 0;
  for (let index = 0; size < bytes; index += 1) {
    const words = Array.from({ length: 160 }, (_, position) => (position === 0 ? `paragraph${index}` : `word${(index * 31 + position) % 997}`));
    const paragraph = words.join(' ');
    paragraphs.push(paragraph);
    size += paragraph.length + 2;
  }
  return paragraphs.join('\n\n');
}

describe('rag-service ingest', () => {
  it('reports the backend it really uses: PGlite by default, never "pgvector" for it', () => {
    expect(service.backend).toEqual({ kind: 'pglite', location: 'embedded Postgres (PGlite), in memory' });
    expect(chooseRagStore({ TENANTVEC_BACKEND: 'memory' }).backend.kind).toBe('memory');
    const native = chooseRagStore({ TENANTVEC_BACKEND: 'pgvector', DATABASE_URL: 'postgres://app:hunter2@db.internal:6543/rag' });
    expect(native.backend).toEqual({ kind: 'pgvector', location: 'postgres at db.internal:6543/rag' });
    expect(() => chooseRagStore({ TENANTVEC_BACKEND: 'pgvector' })).toThrow(ConfigurationError);
    expect(() => chooseRagStore({ TENANTVEC_BACKEND: 'pgvectr', DATABASE_URL: 'postgres://x@y/z' })).toThrow(ConfigurationError);
  });

  it('ingests a 10 MB document whole, and again for nothing', async () => {
    // The in-memory backend: the machine running tests is shared.
    const large = await createRagService({ auth: { jwt: { secret, audience } }, store: chooseRagStore({ TENANTVEC_BACKEND: 'memory' }) });
    try {
      const text = document(10 * 1024 * 1024);
      const response = await large.app.request('/ingest', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign({})}` },
        body: JSON.stringify({ documents: [{ id: 'handbook', text }] }),
      });
      const answer = (await response.json()) as { ingested: number; chunks: number; unchanged: number };
      expect(response.status).toBe(200);
      expect(answer.chunks).toBeGreaterThan(5_000);
      expect(answer).toEqual({ ingested: 1, chunks: answer.chunks, unchanged: 0 });
      const acme = large.store.forTenant('acme');
      expect(await acme.count()).toBe(answer.chunks);
      expect((await acme.documents()).documents.map((listed) => [listed.documentId, listed.chunks, listed.characters])).toEqual([['handbook', answer.chunks, text.length]]);
      const again = await large.app.request('/ingest', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign({})}` },
        body: JSON.stringify({ documents: [{ id: 'handbook', text }] }),
      });
      expect(await again.json()).toEqual({ ingested: 1, chunks: answer.chunks, unchanged: 1 });
    } finally {
      await large.close();
    }
  }, 300_000);

  it('refuses a body above the size limit with a clear 413', async () => {
    const small = await createRagService({ auth: { jwt: { secret, audience } }, store: chooseRagStore({ TENANTVEC_BACKEND: 'memory' }), maxRequestBytes: 1_000 });
    try {
      const response = await small.app.request('/ingest', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign({})}` },
        body: JSON.stringify({ documents: [{ id: 'big', text: 'x '.repeat(1_000) }] }),
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ error: 'payload_too_large' });
      expect(await small.store.forTenant('acme').count()).toBe(0);
    } finally {
      await small.close();
    }
    const overDefault = await post('/ingest', JSON.stringify({ documents: [{ id: 'huge', text: 'y'.repeat(17 * 1024 * 1024) }] }));
    expect(overDefault.status).toBe(413);
  });

  it('refuses a document with an empty id', async () => {
    for (const id of ['', '   ']) {
      const answer = await post('/ingest', JSON.stringify({ documents: [{ id: 'fine', text: 'kept out too' }, { id, text: 'no id' }] }));
      expect(answer).toMatchObject({ status: 400, body: { error: 'bad_request' } });
      expect(answer.body.message).toContain('#1');
    }
    expect(await service.store.forTenant('acme').get('fine')).toBeNull();
  });

  it('refuses a token without exp, and one valid for years', async () => {
    const noExpiry = await post('/ask', JSON.stringify({ question: 'refunds' }), await sign({}, null));
    expect(noExpiry).toMatchObject({ status: 401, body: { error: 'unauthenticated', code: 'TOKEN_EXPIRY_MISSING' } });
    const years = await post('/ask', JSON.stringify({ question: 'refunds' }), await sign({}, '5y'));
    expect(years).toMatchObject({ status: 401, body: { code: 'TOKEN_LIFETIME_TOO_LONG' } });
  });

  it('sends RateLimit-Limit, -Remaining and -Reset, and Retry-After with the 429', async () => {
    const limited = await createRagService({ auth: { jwt: { secret, audience } }, store: chooseRagStore({ TENANTVEC_BACKEND: 'memory' }), limits: { requestsPerMinute: 2 } });
    try {
      const ask = async () => {
        const response = await limited.app.request('/ask', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign({})}` }, body: '{"question":"refunds"}' });
        await response.arrayBuffer();
        return { status: response.status, headers: Object.fromEntries(response.headers) };
      };
      expect(await ask()).toMatchObject({ status: 200, headers: { 'ratelimit-limit': '2', 'ratelimit-remaining': '1' } });
      expect(await ask()).toMatchObject({ status: 200, headers: { 'ratelimit-remaining': '0' } });
      const refused = await ask();
      expect(refused).toMatchObject({ status: 429, headers: { 'ratelimit-limit': '2', 'ratelimit-remaining': '0' } });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['ratelimit-reset'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
