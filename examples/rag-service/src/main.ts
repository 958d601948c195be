import { serve } from '@hono/node-server';
import { redisLimitStore } from '@tenantvec/guardrails';
import { SignJWT } from 'jose';
import { createClient } from 'redis';
import { createRagService } from './rag-service.js';

// A development secret makes the service runnable with no setup; set JWT_SECRET anywhere real.
const secret = process.env.JWT_SECRET ?? 'development-secret-change-me-0123456789';
const audience = 'rag-service';
const port = Number(process.env.PORT ?? 8787);

// With REDIS_URL, every instance of the service shares one set of per-tenant limits.
const redis = process.env.REDIS_URL === undefined ? undefined : await createClient({ url: process.env.REDIS_URL }).connect();
const service = await createRagService({
  auth: { jwt: { secret, audience } },
  ...(redis === undefined ? {} : { limitStore: redisLimitStore({ client: redis, keyPrefix: 'rag-service:limits:' }) }),
});
const server = serve({ fetch: service.app.fetch, port, hostname: '127.0.0.1' }, async (info) => {
  const token = (tenant: string) => new SignJWT({ tenant_id: tenant }).setProtectedHeader({ alg: 'HS256' }).setAudience(audience).setExpirationTime('1h').sign(new TextEncoder().encode(secret));
  const url = `http://127.0.0.1:${info.port}`;
  console.log(`rag-service on ${url} (embeddings: ${service.embeddingModel}, backend: ${service.store.backend}, limits: ${redis === undefined ? 'in memory' : 'Redis'})`);
  if (process.env.JWT_SECRET === undefined) {
    console.log('\nDevelopment tokens (valid 1 hour):');
    for (const tenant of ['acme', 'globex']) console.log(`  export TOKEN_${tenant.toUpperCase()}=${await token(tenant)}`);
    console.log(`\nTry:\n  curl -s ${url}/ingest -H "authorization: Bearer $TOKEN_ACME" -H 'content-type: application/json' \\\n    -d '{"documents":[{"id":"refunds","text":"Refunds are paid within 14 days."}]}'`);
    console.log(`  curl -s ${url}/ask -H "authorization: Bearer $TOKEN_ACME" -H 'content-type: application/json' -d '{"question":"how fast are refunds paid?"}'`);
    console.log(`  curl -s ${url}/ask -H "authorization: Bearer $TOKEN_GLOBEX" -H 'content-type: application/json' -d '{"question":"how fast are refunds paid?"}'`);
  }
});

const stop = () => server.close(() => void service.close().then(() => redis?.quit()).then(() => process.exit(0)));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
