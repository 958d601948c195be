import { inspect } from 'node:util';
import { createServer } from 'node:net';
import { BackendError, ConfigurationError, InvalidArgumentError, TenantVecError } from '@tenantvec/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openaiEmbedder } from './openai-embedder.js';
import { startEmbeddingsStandIn, type EmbeddingsStandIn } from './test-support/embeddings-api-stand-in.js';

const apiKey = 'sk-proj-TESTKEY0123456789abcdefSECRET';
let standIn: EmbeddingsStandIn;
beforeAll(async () => {
  standIn = await startEmbeddingsStandIn({ apiKey });
});
afterAll(async () => standIn.close());
beforeEach(() => standIn.reset());
afterEach(() => vi.unstubAllEnvs());

const small = (settings: Record<string, unknown> = {}) =>
  openaiEmbedder({ model: 'text-embedding-3-small', dimensions: 4, baseURL: standIn.baseURL, apiKey, ...settings });

async function failureOf(promise: Promise<unknown>): Promise<TenantVecError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(TenantVecError.isInstance(error)).toBe(true);
  return error as TenantVecError;
}

function expectNoSecrets(error: unknown, texts: string[] = []): void {
  // Everything a log line could show: message, stack, cause chain and own properties.
  const shown = `${(error as Error).message}\n${(error as Error).stack}\n${inspect(error, { depth: 5 })}`;
  expect(shown).not.toContain(apiKey);
  expect(shown).not.toContain('TESTKEY');
  for (const text of texts) expect(shown).not.toContain(text);
}

describe('retries (done by the openai client)', () => {
  it('retries a 429 and succeeds', async () => {
    standIn.failNext({ status: 429, retryAfterSeconds: 0 }, 2);
    const { embeddings } = await small().embed({ texts: ['a', 'b'] });
    expect(embeddings).toHaveLength(2);
    expect(standIn.requests).toHaveLength(3);
  });

  it('waits as long as retry-after says', async () => {
    standIn.failNext({ status: 429, retryAfterSeconds: 1 });
    const started = performance.now();
    await small().embed({ texts: ['a'] });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(standIn.requests).toHaveLength(2);
  });

  it('backs off exponentially with jitter when the server names no wait', async () => {
    standIn.failNext({ status: 500 }, 2);
    const started = performance.now();
    await small().embed({ texts: ['a'] });
    // 0.5 s then 1 s, each shortened by at most a quarter of jitter.
    expect(performance.now() - started).toBeGreaterThanOrEqual((500 + 1000) * 0.75 - 20);
    expect(standIn.requests).toHaveLength(3);
  });

  it('turns a persistent 500 into a retryable BackendError after maxRetries', async () => {
    standIn.failNext({ status: 500, retryAfterMilliseconds: 1 }, 10);
    const error = await failureOf(small({ maxRetries: 3 }).embed({ texts: ['tenant text'] }));
    expect(BackendError.isInstance(error)).toBe(true);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(/500.*server_error/);
    expect(standIn.requests).toHaveLength(4);
    expectNoSecrets(error, ['tenant text']);
  });

  it('turns a persistent 429 into a retryable BackendError', async () => {
    standIn.failNext({ status: 429, retryAfterMilliseconds: 1 }, 10);
    const error = await failureOf(small({ maxRetries: 1 }).embed({ texts: ['hello'] }));
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: true, message: expect.stringContaining('rate_limit_exceeded') });
    expect(standIn.requests).toHaveLength(2);
  });

  it('turns a refused connection into a retryable BackendError', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await failureOf(small({ baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 }).embed({ texts: ['a'] }));
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: true, message: expect.stringContaining('ECONNREFUSED') });
    expectNoSecrets(error);
  });

  it('does not retry a 4xx and marks it not retryable', async () => {
    const error = await failureOf(small({ model: 'my-own-model', dimensions: 4 }).embed({ texts: ['a'] }));
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: false, message: expect.stringContaining('model_not_found') });
    expect(standIn.requests).toHaveLength(1);
  });
});

describe('a call that fails part-way', () => {
  it('has reported the tokens of the requests that succeeded', async () => {
    const reported: number[] = [];
    let sent = 0;
    // The injected fetch also shows that the fetch setting reaches the client.
    const fetch: typeof globalThis.fetch = (input, init) => {
      sent += 1;
      if (sent === 2) standIn.failNext({ status: 500 });
      return globalThis.fetch(input, init);
    };
    const embedder = small({ maxBatchSize: 1, maxRetries: 0, fetch, onUsage: ({ tokens }: { tokens: number }) => reported.push(tokens) });
    const error = await failureOf(embedder.embed({ texts: ['first', 'second'] }));
    expect(error).toMatchObject({ code: 'BACKEND', message: expect.stringContaining('request 2 of 2 (texts[1..1])') });
    expect(reported).toEqual([2]);
  });
});

describe('secrets and texts never reach error messages', () => {
  it('redacts the key a 401 echoes', async () => {
    const wrongKey = 'sk-wrong-KEY-0123456789';
    const error = await failureOf(small({ apiKey: wrongKey }).embed({ texts: ['a'] }));
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: false, message: expect.stringContaining('invalid_api_key') });
    expect(inspect(error, { depth: 5 })).not.toContain(wrongKey);
    expect(error.message).toContain('[redacted key]');
  });

  it('redacts texts a server quotes back', async () => {
    standIn.behaviour.echoInputInErrors = true;
    const tenantText = `confidential plan of tenant acme ${'x'.repeat(40_000)}`;
    // A counter that undercounts lets the text through to the server, which refuses and quotes it.
    const error = await failureOf(small({ countTokens: () => 1 }).embed({ texts: [tenantText] }));
    expect(error.message).toContain('[text]');
    expectNoSecrets(error, ['confidential plan']);
  });
});

describe('inputs refused before any I/O', () => {
  it('refuses a text over 8192 estimated tokens, naming its index', async () => {
    const error = await failureOf(small().embed({ texts: ['fine', 'y'.repeat(30_000), 'fine'] }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toContain('texts[1]');
    expect(error.message).not.toContain('yyyy');
    expect(standIn.requests).toHaveLength(0);
  });

  it('refuses empty strings, naming each index', async () => {
    const error = await failureOf(small().embed({ texts: ['ok', '', 'ok', ''] }));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/texts\[1\] is empty.*texts\[3\] is empty/) });
    expect(standIn.requests).toHaveLength(0);
  });
});

describe('the API key', () => {
  it('falls back to OPENAI_API_KEY', async () => {
    vi.stubEnv('OPENAI_API_KEY', apiKey);
    const embedder = openaiEmbedder({ model: 'text-embedding-3-small', dimensions: 4, baseURL: standIn.baseURL });
    await embedder.embed({ texts: ['a'] });
    expect(standIn.requests[0]!.authorization).toBe(`Bearer ${apiKey}`);
  });

  it('is required when the embedder is created, with a ConfigurationError saying where to put it', () => {
    vi.stubEnv('OPENAI_API_KEY', undefined);
    expect(() => openaiEmbedder({ model: 'text-embedding-3-small' })).toThrow(ConfigurationError);
    expect(() => openaiEmbedder({ model: 'text-embedding-3-small', apiKey: '' })).toThrow(/OPENAI_API_KEY/);
  });

  it('is not echoed by configuration errors', () => {
    let caught: unknown;
    try {
      openaiEmbedder({ model: 'text-embedding-3-small', apiKey, client: { embeddings: { create: async () => ({ data: [] }) } } } as never);
    } catch (error) {
      caught = error;
    }
    expect(ConfigurationError.isInstance(caught)).toBe(true);
    expectNoSecrets(caught);
  });
});
