import { serve } from '@hono/node-server';
import { TenantVecError } from '@tenantvec/core';
import { redisLimitStore } from '@tenantvec/guardrails';
import { SignJWT } from 'jose';
import { limitRedisClient } from './limit-redis-client.js';
import { createRagService } from './rag-service.js';
import { readServiceSettings, type ServiceSettings } from './service-settings.js';

const audience = 'rag-service';

let settings: ServiceSettings;
try {
  settings = readServiceSettings(process.env, process.argv.slice(2));
} catch (error) {
  // A settings mistake is the operator's to fix: one line, no stack trace.
  console.error(`rag-service: ${TenantVecError.isInstance(error) ? error.message : String(error)}`);
  process.exit(2);
}
const { secret } = settings;

// With REDIS_URL, every instance of the service shares one set of per-tenant limits.
const redis = settings.redisUrl === undefined ? undefined : limitRedisClient(settings.redisUrl);
const service = await createRagService({
  auth: { jwt: { secret, audience } },
  ...(redis === undefined ? {} : { limitStore: redisLimitStore({ client: redis.client, keyPrefix: 'rag-service:limits:' }) }),
  whenLimitStoreUnavailable: settings.whenRedisUnavailable,
  maxRequestBytes: settings.maxRequestBytes,
});
const server = serve({ fetch: service.app.fetch, port: settings.port, hostname: '127.0.0.1' }, async (info) => {
  const token = (tenant: string) => new SignJWT({ tenant_id: tenant }).setProtectedHeader({ alg: 'HS256' }).setAudience(audience).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(secret));
  const url = `http://127.0.0.1:${info.port}`;
  const limits = redis === undefined ? 'in memory' : `Redis, ${settings.whenRedisUnavailable} while it is unavailable`;
  // The warning comes before the address, so no one reads the address and misses it.
  if (settings.development) console.log('DEVELOPMENT MODE: tokens are signed with the public development secret. Set JWT_SECRET anywhere real.\n');
  console.log(`rag-service on ${url} (backend: ${service.backend.kind}, ${service.backend.location}; embeddings: ${service.embeddingModel}; limits: ${limits})`);
  if (settings.development) {
    console.log('\nDevelopment tokens (valid 1 hour):');
    for (const tenant of ['acme', 'globex']) console.log(`  export TOKEN_${tenant.toUpperCase()}=${await token(tenant)}`);
    console.log(`\nTry:\n  curl -s ${url}/ingest -H "authorization: Bearer $TOKEN_ACME" -H 'content-type: application/json' \\\n    -d '{"documents":[{"id":"refunds","text":"Refunds are paid within 14 days."}]}'`);
    console.log(`  curl -s ${url}/ask -H "authorization: Bearer $TOKEN_ACME" -H 'content-type: application/json' -d '{"question":"how fast are refunds paid?"}'`);
    console.log(`  curl -s ${url}/ask -H "authorization: Bearer $TOKEN_GLOBEX" -H 'content-type: application/json' -d '{"question":"how fast are refunds paid?"}'`);
  }
});

const stop = () => server.close(() => void service.close().then(() => redis?.close()).then(() => process.exit(0)));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
