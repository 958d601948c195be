import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openaiEmbedder } from './openai-embedder.js';
import type { EmbeddingUsage } from './openai-settings.js';
import { standInTokens, standInVector, startEmbeddingsStandIn, type EmbeddingsStandIn } from './test-support/embeddings-api-stand-in.js';

let standIn: EmbeddingsStandIn;
beforeAll(async () => {
  standIn = await startEmbeddingsStandIn();
});
afterAll(async () => standIn.close());
beforeEach(() => standIn.reset());

const connection = () => ({ baseURL: standIn.baseURL, apiKey: standIn.apiKey });
const inputsOf = (index: number) => standIn.requests[index]!.body['input'] as string[];

describe('openaiEmbedder against the stand-in', () => {
  it('embeds in input order although the API answers out of order, sending dimensions', async () => {
    const embedder = openaiEmbedder({ model: 'text-embedding-3-small', dimensions: 16, ...connection() });
    const texts = ['alpha', 'beta', 'gamma'];
    const { embeddings, usage } = await embedder.embed({ texts });
    expect(embedder).toMatchObject({ contractVersion: 1, name: 'openai:text-embedding-3-small', dimension: 16, maxBatchSize: 2048 });
    expect(standIn.requests).toHaveLength(1);
    expect(standIn.requests[0]!.body).toMatchObject({ model: 'text-embedding-3-small', dimensions: 16, input: texts });
    expect(standIn.requests[0]!.authorization).toBe(`Bearer ${standIn.apiKey}`);
    // The official client asks for base64 float32s and decodes them itself.
    expect(standIn.requests[0]!.body['encoding_format']).toBe('base64');
    expect(embeddings).toHaveLength(3);
    texts.forEach((text, index) => {
      // The client asks for base64 (float32); compare at float32 precision.
      const expected = standInVector('text-embedding-3-small', text, 16);
      embeddings[index]!.forEach((value, position) => expect(value).toBeCloseTo(expected[position]!, 6));
      expect(Array.isArray(embeddings[index])).toBe(true);
    });
    expect(usage).toEqual({ tokens: texts.reduce((sum, text) => sum + standInTokens(text), 0) });
  });

  it('uses the native dimension and sends no dimensions field when none is set', async () => {
    for (const [model, native] of [['text-embedding-3-small', 1536], ['text-embedding-3-large', 3072], ['text-embedding-ada-002', 1536]] as const) {
      standIn.reset();
      const embedder = openaiEmbedder({ model, ...connection() });
      expect(embedder.dimension).toBe(native);
      const { embeddings } = await embedder.embed({ texts: ['one'] });
      expect(embeddings[0]).toHaveLength(native);
      expect(standIn.requests[0]!.body).not.toHaveProperty('dimensions');
    }
  });

  it('splits at maxBatchSize inputs per request and keeps order across requests', async () => {
    const embedder = openaiEmbedder({ model: 'text-embedding-3-small', dimensions: 4, maxBatchSize: 3, ...connection() });
    const texts = Array.from({ length: 8 }, (_, index) => `text number ${index}`);
    const { embeddings } = await embedder.embed({ texts });
    expect(standIn.requests.map((_, index) => inputsOf(index).length)).toEqual([3, 3, 2]);
    expect(standIn.requests.flatMap((_, index) => inputsOf(index))).toEqual(texts);
    texts.forEach((text, index) => expect(embeddings[index]![0]).toBeCloseTo(standInVector('text-embedding-3-small', text, 4)[0]!, 6));
  });

  it('splits 5000 texts into requests of at most 2048 by default', async () => {
    const embedder = openaiEmbedder({ model: 'text-embedding-3-small', dimensions: 2, ...connection() });
    const texts = Array.from({ length: 5000 }, (_, index) => `t${index}`);
    const { embeddings } = await embedder.embed({ texts });
    expect(standIn.requests.map((_, index) => inputsOf(index).length)).toEqual([2048, 2048, 904]);
    expect(embeddings).toHaveLength(5000);
  });

  it('splits by the token total per request, never past 300,000 estimated tokens', async () => {
    const embedder = openaiEmbedder({ model: 'text-embedding-3-small', dimensions: 2, ...connection() });
    // 24,000 ASCII characters are estimated at 8,000 tokens: 37 fit in 300,000.
    const texts = Array.from({ length: 80 }, (_, index) => `${index}`.padEnd(24_000, 'x'));
    const { embeddings } = await embedder.embed({ texts });
    expect(standIn.requests.map((_, index) => inputsOf(index).length)).toEqual([37, 37, 6]);
    expect(embeddings).toHaveLength(80);
  });

  it('honours a smaller token budget and a caller-supplied token counter', async () => {
    const embedder = openaiEmbedder({ model: 'text-embedding-3-small', dimensions: 2, maxTokensPerRequest: 10, countTokens: () => 4, ...connection() });
    await embedder.embed({ texts: ['a', 'b', 'c', 'd', 'e'] });
    expect(standIn.requests.map((_, index) => inputsOf(index).length)).toEqual([2, 2, 1]);
  });

  it('sums usage over requests and reports each request through onUsage', async () => {
    const reported: EmbeddingUsage[] = [];
    const embedder = openaiEmbedder({ model: 'text-embedding-3-small', dimensions: 4, maxBatchSize: 2, onUsage: (usage) => reported.push(usage), ...connection() });
    const texts = ['first text here', 'second', 'third one', 'fourth!', 'fifth'];
    const { usage } = await embedder.embed({ texts });
    const perRequest = [texts.slice(0, 2), texts.slice(2, 4), texts.slice(4)].map((group) => group.reduce((sum, text) => sum + standInTokens(text), 0));
    expect(reported).toEqual(perRequest.map((tokens, index) => ({ model: 'text-embedding-3-small', tokens, texts: index < 2 ? 2 : 1 })));
    expect(usage).toEqual({ tokens: perRequest.reduce((sum, tokens) => sum + tokens, 0) });
  });

  it('calls onUsage in the caller\'s async context, so a tenant can be attributed', async () => {
    const tenant = new AsyncLocalStorage<string>();
    const perTenant = new Map<string, number>();
    const embedder = openaiEmbedder({
      model: 'text-embedding-3-small',
      dimensions: 4,
      onUsage: ({ tokens }) => perTenant.set(tenant.getStore()!, (perTenant.get(tenant.getStore()!) ?? 0) + tokens),
      ...connection(),
    });
    await Promise.all([
      tenant.run('acme', () => embedder.embed({ texts: ['a longer text for acme'] })),
      tenant.run('globex', () => embedder.embed({ texts: ['hi'] })),
    ]);
    expect(Object.fromEntries(perTenant)).toEqual({ acme: standInTokens('a longer text for acme'), globex: standInTokens('hi') });
  });

  it('sends nothing for no texts', async () => {
    const embedder = openaiEmbedder({ model: 'text-embedding-3-small', ...connection() });
    expect(await embedder.embed({ texts: [] })).toEqual({ embeddings: [] });
    expect(standIn.requests).toHaveLength(0);
  });

  it('refuses a vector of the wrong length with DimensionMismatchError', async () => {
    standIn.behaviour.vectorLength = 5;
    const embedder = openaiEmbedder({ model: 'text-embedding-3-small', dimensions: 4, ...connection() });
    await expect(embedder.embed({ texts: ['x'] })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH', message: expect.stringContaining('5-dimensional') });
  });

  it('works with a ready client, passing maxRetries per request', async () => {
    const { default: OpenAI } = await import('openai');
    const client = new OpenAI({ ...connection(), maxRetries: 0 });
    standIn.failNext({ status: 429, retryAfterSeconds: 0 });
    const embedder = openaiEmbedder({ model: 'text-embedding-3-small', dimensions: 4, client, maxRetries: 1 });
    const { embeddings } = await embedder.embed({ texts: ['x'] });
    expect(embeddings).toHaveLength(1);
    expect(standIn.requests).toHaveLength(2);
  });

  it('accepts float arrays and raw base64 from clients that do not decode', async () => {
    const { default: OpenAI } = await import('openai');
    const openai = new OpenAI(connection());
    const asFloats = openaiEmbedder({
      model: 'text-embedding-3-small',
      dimensions: 4,
      client: { embeddings: { create: (body, options) => openai.embeddings.create({ ...body, encoding_format: 'float' }, options) } },
    });
    const floats = (await asFloats.embed({ texts: ['x', 'y'] })).embeddings;
    expect(standIn.requests[0]!.body['encoding_format']).toBe('float');
    const asBase64 = openaiEmbedder({
      model: 'text-embedding-3-small',
      dimensions: 4,
      client: {
        embeddings: {
          create: async (body) => {
            const vectors = body.input.map((text) => Buffer.from(new Float32Array(standInVector(body.model, text, 4)).buffer).toString('base64'));
            return { data: vectors.map((embedding, index) => ({ index, embedding })) };
          },
        },
      },
    });
    const { embeddings, usage } = await asBase64.embed({ texts: ['x', 'y'] });
    embeddings.flat().forEach((value, position) => expect(value).toBeCloseTo(floats.flat()[position]!, 6));
    // A server that reports no usage yields no usage rather than zero.
    expect(usage).toBeUndefined();
  });

  it('rejects with the signal\'s reason when aborted during a request, and sends no more', async () => {
    const controller = new AbortController();
    const fetch: typeof globalThis.fetch = (input, init) => {
      controller.abort(new Error('tenant request cancelled'));
      return globalThis.fetch(input, init);
    };
    const embedder = openaiEmbedder({ model: 'text-embedding-3-small', dimensions: 4, maxBatchSize: 1, fetch, ...connection() });
    await expect(embedder.embed({ texts: ['a', 'b'], signal: controller.signal })).rejects.toThrow('tenant request cancelled');
    expect(standIn.requests.length).toBeLessThanOrEqual(1);
  });

  it('stops at an aborted signal with its reason, before sending', async () => {
    const embedder = openaiEmbedder({ model: 'text-embedding-3-small', ...connection() });
    const controller = new AbortController();
    controller.abort(new Error('caller gave up'));
    await expect(embedder.embed({ texts: ['x'], signal: controller.signal })).rejects.toThrow('caller gave up');
    expect(standIn.requests).toHaveLength(0);
  });
});
