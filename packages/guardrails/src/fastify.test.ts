import { RateLimitedError } from '@tenantvec/core';
import Fastify from 'fastify';
import { afterAll, describe } from 'vitest';
import { fastifyTenant, fastifyTenantErrors } from './fastify.js';
import { adapterOptions, httpAdapterCases, type SendRequest } from './http-adapter-cases.js';
import { currentTenant } from './tenant-context.js';

const app = Fastify();
app.setErrorHandler(fastifyTenantErrors);
app.addHook('preHandler', fastifyTenant(adapterOptions));
app.get('/whoami', async () => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return { tenant: currentTenant() };
});
app.post('/tenants/:tenantId/docs', async () => ({ tenant: currentTenant() }));
app.get('/limited', async () => {
  throw new RateLimitedError('slow down', { retryAfterMs: 1500 });
});
afterAll(() => app.close());

const send: SendRequest = async ({ method, path, headers = {}, body }) => {
  const response = await app.inject({ method, url: path, headers, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
  return { status: response.statusCode, headers: response.headers as Record<string, string | undefined>, body: response.json() };
};

describe('fastifyTenant', () => httpAdapterCases(() => send));
