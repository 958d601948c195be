import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeaviateEmulator, type WeaviateEmulator } from './weaviate-emulator.js';

/**
 * The REST half, driven with raw requests: bodies from Weaviate's REST reference are accepted;
 * malformed ones fail with Weaviate's status codes and `{"error":[{"message"}]}` bodies.
 */
let emulator: WeaviateEmulator;
let base: string;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

function errorMessage(json: unknown): string {
  const error = (json as { error: { message: string }[] }).error;
  expect(Array.isArray(error)).toBe(true);
  return error[0]!.message;
}

/** The "Article" example of Weaviate's collection docs, with a named self-provided vector. */
const article = {
  class: 'Article',
  description: 'A news article',
  properties: [
    { name: 'title', dataType: ['text'] },
    { name: 'body', dataType: ['text'], tokenization: 'word' },
    { name: 'wordCount', dataType: ['int'] },
    { name: 'tags', dataType: ['text[]'], tokenization: 'field', indexFilterable: true },
  ],
  vectorConfig: { default: { vectorizer: { none: {} }, vectorIndexType: 'hnsw', vectorIndexConfig: { distance: 'cosine' } } },
};

beforeAll(async () => {
  emulator = await startWeaviateEmulator();
  base = `http://${emulator.httpHost}:${emulator.httpPort}/v1`;
});
afterAll(() => emulator.stop());

describe('weaviate emulator, REST', () => {
  it('reports the emulated version in /v1/meta', async () => {
    const { status, json } = await call('GET', '/meta');
    expect(status).toBe(200);
    expect(json).toMatchObject({ version: '1.33.0' });
  });

  it('creates a collection from the docs example and returns it with server defaults', async () => {
    expect((await call('POST', '/schema', article)).status).toBe(200);
    const { status, json } = await call('GET', '/schema/Article');
    expect(status).toBe(200);
    const schema = json as { properties: { name: string; tokenization?: string; indexFilterable: boolean }[]; vectorConfig: { default: { vectorIndexConfig: { efConstruction: number } } } };
    expect(schema.properties.find((property) => property.name === 'title')).toMatchObject({ tokenization: 'word', indexFilterable: true });
    expect(schema.vectorConfig.default.vectorIndexConfig.efConstruction).toBe(128);
  });

  it('refuses a second collection whose name differs only in case', async () => {
    const { status, json } = await call('POST', '/schema', { ...article, class: 'ARTICLE' });
    expect(status).toBe(422);
    expect(errorMessage(json)).toMatch(/already exists/);
  });

  it.each([
    ['a lowercase class name', { class: 'article' }],
    ['an unknown field', { class: 'Thing', vectorIndexKind: 'hnsw' }],
    ['an unknown data type', { class: 'Thing', properties: [{ name: 'title', dataType: ['string'] }] }],
    ['tokenization on a number', { class: 'Thing', properties: [{ name: 'n', dataType: ['int'], tokenization: 'field' }] }],
    ['a reserved property name', { class: 'Thing', properties: [{ name: 'id', dataType: ['text'] }] }],
    ['an invalid property name', { class: 'Thing', properties: [{ name: 'a-b', dataType: ['text'] }] }],
    ['an unknown property field', { class: 'Thing', properties: [{ name: 'a', dataType: ['text'], index: true }] }],
    ['an unknown distance', { class: 'Thing', vectorConfig: { default: { vectorIndexConfig: { distance: 'l2' } } } }],
    ['an unknown multi-tenancy field', { class: 'Thing', multiTenancyConfig: { enabled: true, auto: true } }],
  ])('refuses a class with %s (422)', async (_, body) => {
    const { status, json } = await call('POST', '/schema', body);
    expect(status).toBe(422);
    expect(errorMessage(json).length).toBeGreaterThan(0);
    expect((await call('GET', '/schema/Thing')).status).toBe(404);
  });

  it('adds a property once, and refuses it again', async () => {
    expect((await call('POST', '/schema/Article/properties', { name: 'year', dataType: ['number'] })).status).toBe(200);
    expect((await call('POST', '/schema/Article/properties', { name: 'year', dataType: ['number'] })).status).toBe(422);
    expect((await call('POST', '/schema/Missing/properties', { name: 'year', dataType: ['number'] })).status).toBe(404);
  });

  it('manages tenants only on multi-tenant collections, with valid names', async () => {
    expect((await call('POST', '/schema/Article/tenants', [{ name: 'tenantA' }])).status).toBe(422);
    await call('POST', '/schema', { class: 'Notes', multiTenancyConfig: { enabled: true } });
    const created = await call('POST', '/schema/Notes/tenants', [{ name: 'tenantA' }, { name: 'tenant-B_2', activityStatus: 'INACTIVE' }]);
    expect(created.status).toBe(200);
    expect((await call('POST', '/schema/Notes/tenants', [{ name: 'bad.name' }])).status).toBe(422);
    expect((await call('POST', '/schema/Notes/tenants', [{ name: 'x'.repeat(65) }])).status).toBe(422);
    expect((await call('POST', '/schema/Notes/tenants', [{ name: 'ok', extra: 1 }])).status).toBe(422);
    const listed = await call('GET', '/schema/Notes/tenants');
    expect(listed.json).toEqual([{ name: 'tenantA', activityStatus: 'ACTIVE' }, { name: 'tenant-B_2', activityStatus: 'INACTIVE' }]);
    expect((await call('PUT', '/schema/Notes/tenants', [{ name: 'tenant-B_2', activityStatus: 'HOT' }])).status).toBe(200);
    expect((await call('PUT', '/schema/Notes/tenants', [{ name: 'tenant-B_2', activityStatus: 'WARM' }])).status).toBe(422);
    expect((await call('DELETE', '/schema/Notes/tenants', ['tenantA'])).status).toBe(200);
    expect((await call('GET', '/schema/Notes/tenants/tenantA')).status).toBe(404);
    expect((await call('GET', '/schema/Notes/tenants/tenant-B_2')).json).toEqual({ name: 'tenant-B_2', activityStatus: 'ACTIVE' });
  });

  it('deletes a collection, and answers 404 for it afterwards', async () => {
    expect((await call('DELETE', '/schema/Notes')).status).toBe(200);
    expect((await call('GET', '/schema/Notes')).status).toBe(404);
  });

  it('answers injected failures with the injected status', async () => {
    emulator.injectFault({ transport: 'rest', times: 1, status: 429 });
    expect((await call('GET', '/meta')).status).toBe(429);
    expect((await call('GET', '/meta')).status).toBe(200);
  });
});
