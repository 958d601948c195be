import { RateLimitedError } from '@tenantvec/core';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { adapterOptions, httpAdapterCases, type SendRequest } from './http-adapter-cases.js';
import { honoTenant, honoTenantErrors, type TenantVariables } from './hono.js';
import { currentTenant } from './tenant-context.js';

const app = new Hono<{ Variables: TenantVariables }>();
app.onError(honoTenantErrors);
app.use('/tenants/:tenantId/*', honoTenant(adapterOptions));
app.use('/whoami', honoTenant(adapterOptions));
app.use('/limited', honoTenant(adapterOptions));
app.get('/whoami', async (context) => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return context.json({ tenant: currentTenant() });
});
app.post('/tenants/:tenantId/docs', async (context) => context.json({ tenant: currentTenant(), variable: context.get('tenant') }));
app.get('/limited', () => {
  throw new RateLimitedError('slow down', { retryAfterMs: 1500 });
});

const send: SendRequest = async ({ method, path, headers = {}, body }) => {
  const response = await app.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: (await response.json()) as Record<string, unknown> };
};

describe('honoTenant', () => httpAdapterCases(() => send));

describe('honoTenant with the body check switched off', () => {
  it('leaves a body field named tenantId alone when tenantBodyField is false', async () => {
    const relaxed = new Hono();
    relaxed.use('*', honoTenant({ ...adapterOptions, tenantBodyField: false }));
    relaxed.post('/notes', async (context) => context.json({ tenant: currentTenant(), body: await context.req.json() }));
    const response = await relaxed.request('/notes', { method: 'POST', headers: { 'x-api-key': 'key-globex', 'content-type': 'application/json' }, body: '{"tenantId":"acme"}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ tenant: 'globex', body: { tenantId: 'acme' } });
  });
});
