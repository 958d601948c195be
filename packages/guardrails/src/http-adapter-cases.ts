// Test support, not shipped: the behaviour every framework adapter must show, run by each adapter's test.
import { SignJWT } from 'jose';
import { expect, it } from 'vitest';
import type { TenantMiddlewareOptions } from './http-tenant-options.js';

export const testSecret = 'a-test-secret-of-at-least-32-bytes!!';
export const adapterOptions: TenantMiddlewareOptions = { jwt: { secret: testSecret, audience: 'rag-api' }, apiKeys: { 'key-globex': 'globex' } };

export interface TestResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: Record<string, unknown>;
}

/**
 * An app under test serves: `GET /whoami` → `{ tenant: currentTenant() }` after an await,
 * `POST /tenants/:tenantId/docs` → `{ tenant }`, and `GET /limited`, which throws a
 * `RateLimitedError` with `retryAfterMs: 1500`.
 */
export type SendRequest = (params: { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: unknown }) => Promise<TestResponse>;

const token = (tenant: string) => new SignJWT({ tenant_id: tenant }).setProtectedHeader({ alg: 'HS256' }).setAudience('rag-api').setExpirationTime('5m').sign(new TextEncoder().encode(testSecret));

export function httpAdapterCases(send: () => SendRequest): void {
  it('answers 401 without credentials, and with a forged token', async () => {
    const missing = await send()({ method: 'GET', path: '/whoami' });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ error: 'unauthenticated' });
    const forged = await send()({ method: 'GET', path: '/whoami', headers: { authorization: 'Bearer e30.e30.c2ln' } });
    expect(forged.status).toBe(401);
    const claimedOnly = await send()({ method: 'GET', path: '/whoami', headers: { 'x-tenant-id': 'acme' } });
    expect(claimedOnly.status).toBe(401);
  });

  it('runs the handler inside the authenticated tenant, from a JWT or an API key', async () => {
    const viaJwt = await send()({ method: 'GET', path: '/whoami', headers: { authorization: `Bearer ${await token('acme')}` } });
    expect(viaJwt).toMatchObject({ status: 200, body: { tenant: 'acme' } });
    const viaKey = await send()({ method: 'GET', path: '/whoami', headers: { 'x-api-key': 'key-globex' } });
    expect(viaKey).toMatchObject({ status: 200, body: { tenant: 'globex' } });
  });

  it('answers 403 when the URL or the body names another tenant', async () => {
    const headers = { authorization: `Bearer ${await token('acme')}`, 'content-type': 'application/json' };
    expect((await send()({ method: 'POST', path: '/tenants/acme/docs', headers, body: { tenantId: 'acme' } })).status).toBe(200);
    const inUrl = await send()({ method: 'POST', path: '/tenants/globex/docs', headers, body: {} });
    expect(inUrl).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    const inBody = await send()({ method: 'POST', path: '/tenants/acme/docs', headers, body: { tenantId: 'globex' } });
    expect(inBody.status).toBe(403);
  });

  it('answers 429 with Retry-After in seconds for a rate limit raised in a handler', async () => {
    const limited = await send()({ method: 'GET', path: '/limited', headers: { authorization: `Bearer ${await token('acme')}` } });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(limited.body).toMatchObject({ error: 'rate_limited', retryAfterMs: 1500 });
  });
}
