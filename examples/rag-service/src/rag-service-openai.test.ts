import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localEmbedder } from '@tenantvec/core';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRagService } from './rag-service.js';
import { chooseRagStore } from './rag-store.js';

// An OpenAI-compatible stand-in on 127.0.0.1: the service's OpenAI path runs with no network and no key.
const fakeVectors = localEmbedder({ dimension: 1536 });
const requests: Array<{ model: string; input: string[]; authorization: string | undefined }> = [];
let openai: Server;

beforeAll(async () => {
  openai = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', async () => {
      const { encoding_format: encoding, ...body } = JSON.parse(raw) as { model: string; input: string[]; encoding_format?: string };
      requests.push({ ...body, authorization: request.headers.authorization });
      const { embeddings } = await fakeVectors.embed({ texts: body.input });
      const tokens = body.input.reduce((sum, text) => sum + text.split(/\s+/).length, 0);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        object: 'list', model: body.model,
        // The official client asks for base64 (little-endian float32) unless told otherwise, as the real API allows.
        data: embeddings.map((embedding, index) => ({
          object: 'embedding', index,
          embedding: encoding === 'base64' ? Buffer.from(new Float32Array(embedding).buffer).toString('base64') : embedding,
        })),
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      }));
    });
  });
  await new Promise<void>((resolve) => openai.listen(0, '127.0.0.1', resolve));
});

afterAll(() => new Promise((resolve) => openai.close(resolve)));

describe('rag-service with OpenAI embeddings', () => {
  it('embeds through the OpenAI client when a key is set, and prices each tenant\'s tokens', async () => {
    const environment = { OPENAI_API_KEY: 'sk-test-not-a-real-key', OPENAI_BASE_URL: `http://127.0.0.1:${(openai.address() as AddressInfo).port}/v1` };
    const choice = chooseRagStore(environment);
    expect(choice.embeddingModel).toBe('text-embedding-3-small');
    const service = await createRagService({ auth: { jwt: { secret: 'openai-test-secret-0123456789abcdefgh' } }, store: choice });
    try {
      const token = await new SignJWT({ tenant_id: 'acme' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode('openai-test-secret-0123456789abcdefgh'));
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const ingest = await service.app.request('/ingest', { method: 'POST', headers, body: JSON.stringify({ documents: [{ id: 'leave', text: 'Holidays: twenty five days a year.' }] }) });
      expect(ingest.status).toBe(200);
      const ask = await service.app.request('/ask', { method: 'POST', headers, body: JSON.stringify({ question: 'how many holidays a year?' }) });
      expect(((await ask.json()) as { chunks: Array<{ id: string }> }).chunks.map((chunk) => chunk.id)).toEqual(['leave']);
      expect(requests.map((request) => [request.model, request.input, request.authorization])).toEqual([
        ['text-embedding-3-small', ['Holidays: twenty five days a year.'], 'Bearer sk-test-not-a-real-key'],
        ['text-embedding-3-small', ['how many holidays a year?'], 'Bearer sk-test-not-a-real-key'],
      ]);
      const [month] = service.usage.monthly();
      expect(month).toMatchObject({ tenant: 'acme', embeddingTokens: 11, unpricedTokens: 0 });
      expect(month!.embeddingCostUsd).toBeCloseTo((11 * 0.02) / 1_000_000, 15);
    } finally {
      await service.close();
    }
  });
});
