import type { AddressInfo } from 'node:net';
import { RateLimitedError } from '@tenantvec/core';
import express from 'express';
import { afterAll, beforeAll, describe } from 'vitest';
import { expressTenant, expressTenantErrors } from './express.js';
import { adapterOptions, httpAdapterCases, type SendRequest } from './http-adapter-cases.js';
import { currentTenant } from './tenant-context.js';

const app = express();
app.use(express.json());
app.get('/whoami', expressTenant(adapterOptions), async (_request, response) => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  response.json({ tenant: currentTenant() });
});
app.post('/tenants/:tenantId/docs', expressTenant(adapterOptions), (_request, response) => {
  response.json({ tenant: currentTenant(), local: response.locals.tenant });
});
app.get('/limited', expressTenant(adapterOptions), async () => {
  throw new RateLimitedError('slow down', { retryAfterMs: 1500 });
});
app.use(expressTenantErrors());

let base = '';
let server: ReturnType<typeof app.listen>;
beforeAll(async () => {
  server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const send: SendRequest = async ({ method, path, headers = {}, body }) => {
  const response = await fetch(base + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: (await response.json()) as Record<string, unknown> };
};

describe('expressTenant', () => httpAdapterCases(() => send));
