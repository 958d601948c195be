import { TenantVecError, type Filter, type Metadata, type TenantVectorStore } from '@tenantvec/core';
import {
  auditHooks, memoryAuditSink, memoryLimitStore, memoryUsageSink, meteringHooks, rateLimitHooks, scopeFor,
  type LimitStore, type RateLimitSettings,
} from '@tenantvec/guardrails';
import { honoRateLimitHeaders, honoTenant, honoTenantErrors, type TenantMiddlewareOptions, type TenantVariables } from '@tenantvec/guardrails/hono';
import { Hono, type ErrorHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { chooseRagStore, createRagStore, type RagStoreChoice } from './rag-store.js';
import { defaultMaxRequestBytes } from './service-settings.js';

export interface RagServiceOptions {
  /** How tenants are authenticated: a JWT secret or key, API keys. */
  auth: TenantMiddlewareOptions;
  /** @default 60 store operations per minute, 200k embedding tokens per day, 100k vectors per tenant */
  limits?: RateLimitSettings['limits'];
  /** @default memoryLimitStore() — pass redisLimitStore({ client }) when several instances run */
  limitStore?: LimitStore;
  /** While the limit store (Redis) is down: refuse with 503, or serve unlimited. @default 'fail-closed' */
  whenLimitStoreUnavailable?: RateLimitSettings['whenStoreUnavailable'];
  /** Larger request bodies are refused with 413. @default 16 MiB */
  maxRequestBytes?: number;
  /** @default chooseRagStore(process.env) */
  store?: RagStoreChoice;
}

interface IngestBody {
  documents?: Array<{ id?: unknown; text?: unknown; source?: unknown; metadata?: unknown }>;
}

interface AskBody {
  question?: unknown;
  topK?: unknown;
  filter?: unknown;
}

const badRequest = (message: string) => ({ error: 'bad_request', message });

/** Input errors of the caller's own request become 400; they name only what the caller sent. */
const serviceErrors: ErrorHandler = (error, context) => {
  if (TenantVecError.isInstance(error) && error.code !== 'RATE_LIMITED' && !['BACKEND', 'BATCH_WRITE_FAILED', 'ISOLATION_VIOLATION'].includes(error.code)) {
    return context.json({ error: error.code.toLowerCase(), message: error.message }, 400);
  }
  return honoTenantErrors(error, context);
};

export async function createRagService(options: RagServiceOptions) {
  const choice = options.store ?? chooseRagStore();
  const audit = memoryAuditSink();
  const usage = memoryUsageSink();
  const holder: { store?: TenantVectorStore } = {};
  const limiter = rateLimitHooks({
    // A 10 MB document is about 21,000 passages: the stored-vector quota lets one in.
    limits: options.limits ?? { requestsPerMinute: 60, embeddingTokensPerDay: 200_000, vectorsStored: 100_000 },
    store: options.limitStore ?? memoryLimitStore(),
    whenStoreUnavailable: options.whenLimitStoreUnavailable ?? 'fail-closed',
    countStored: (tenant) => holder.store!.forTenant(tenant).count(),
  });
  const store = await createRagStore(choice, [limiter, meteringHooks({ sink: usage, embeddingModel: choice.embeddingModel }), auditHooks({ sink: audit })]);
  holder.store = store;

  const app = new Hono<{ Variables: TenantVariables }>();
  const maxRequestBytes = options.maxRequestBytes ?? defaultMaxRequestBytes;
  app.onError(serviceErrors);
  // Before the tenant middleware, which reads the body to compare a named tenant.
  app.use('*', bodyLimit({
    maxSize: maxRequestBytes,
    onError: (context) => context.json({ error: 'payload_too_large', message: `The request body is larger than ${maxRequestBytes} bytes; send the documents in several requests.` }, 413),
  }));
  app.use('*', honoRateLimitHeaders());
  app.use('*', honoTenant(options.auth));

  app.post('/ingest', async (context) => {
    const body = await context.req.json<IngestBody>().catch(() => ({}) as IngestBody);
    if (!Array.isArray(body.documents) || body.documents.length === 0) return context.json(badRequest('Send { documents: [{ id, text, source?, metadata? }] }.'), 400);
    const invalid = body.documents.findIndex((document) => typeof document?.id !== 'string' || document.id.trim() === '' || typeof document.text !== 'string');
    if (invalid !== -1) return context.json(badRequest(`Document #${invalid} needs a non-empty string id and a string text.`), 400);
    // The store chunks, embeds and batches; a document sent again unchanged costs nothing, and
    // a request that fails part-way can be sent again whole (each document stays whole meanwhile).
    const { results } = await scopeFor(store).ingestMany({
      documents: (body.documents as Array<{ id: string; text: string; source?: unknown; metadata?: unknown }>).map((document) => ({
        documentId: document.id,
        text: document.text,
        // Metadata the caller sent is checked by the store, which names any bad key in a 400.
        ...(typeof document.metadata === 'object' && document.metadata !== null ? { metadata: document.metadata as Metadata } : {}),
        ...(typeof document.source === 'string' ? { source: document.source } : {}),
      })),
    });
    return context.json({
      ingested: results.length,
      chunks: results.reduce((sum, result) => sum + result.chunks, 0),
      unchanged: results.filter((result) => result.status === 'unchanged').length,
    });
  });

  app.post('/ask', async (context) => {
    const body = await context.req.json<AskBody>().catch(() => ({}) as AskBody);
    if (typeof body.question !== 'string' || body.question.trim() === '') return context.json(badRequest('Send { question, topK?, filter? }.'), 400);
    const topK = typeof body.topK === 'number' ? body.topK : 3;
    const matches = await scopeFor(store).query({ text: body.question, topK, ...(body.filter === undefined ? {} : { filter: body.filter as Filter }) });
    const chunks = matches.map((match) => ({
      id: match.id,
      document: match.metadata.tenantvec_document ?? match.id,
      score: match.score,
      text: match.text ?? '',
      ...(match.source === undefined ? {} : { source: match.source }),
    }));
    const answer = chunks.length === 0
      ? 'Your documents hold nothing on this yet.'
      : `From ${chunks.length} passage(s) of your documents, the closest says: "${chunks[0]!.text}"`;
    return context.json({ answer, chunks });
  });

  app.get('/usage', (context) => {
    const tenant = context.get('tenant');
    return context.json({ months: usage.monthly().filter((month) => month.tenant === tenant) });
  });

  return { app, store, audit, usage, limiter, embeddingModel: choice.embeddingModel, backend: choice.backend, close: () => store.close() };
}
