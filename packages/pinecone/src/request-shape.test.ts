import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pinecone } from '@pinecone-database/pinecone';
// The generated request models of the official client (its `pinecone-generated-ts-fetch`, API
// 2026-04): their FromJSON / ToJSON pairs keep exactly the wire keys the API defines.
import * as controlModels from '@pinecone-database/pinecone/dist/pinecone-generated-ts-fetch/db_control/models/index.js';
import * as dataModels from '@pinecone-database/pinecone/dist/pinecone-generated-ts-fetch/db_data/models/index.js';
import { createTenantVectorStore, type IsolationStrategy } from '@tenantvec/core';
import { collectionPerTenant } from '@tenantvec/collection-per-tenant';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { namespacePerTenant } from '@tenantvec/namespace-per-tenant';
import { sourcePrefix } from '@tenantvec/source-prefix';
import { startPineconeEmulator, type PineconeEmulator } from '@tenantvec/emulators/pinecone';
import { pinecone } from './pinecone-backend.js';

/**
 * Whether Pinecone refuses body keys outside its API is not documented, so the emulator's
 * strictness proves nothing about the adapter. This test runs the adapter against an emulator
 * that ignores unknown keys, records every body the official client puts on the wire, and
 * holds each to the client's generated request model for its route.
 */
type Model = { fromJson: (json: unknown) => unknown; toJson: (value: unknown) => unknown };
const model = (fromJson: (json: never) => unknown, toJson: (value: never) => unknown): Model => ({
  fromJson: fromJson as Model['fromJson'],
  toJson: toJson as Model['toJson'],
});

/** The variants of the `IndexSpec` oneOf, by the one key each holds. */
const specVariants: Record<string, Model> = {
  serverless: model(controlModels.Serverless2FromJSON, controlModels.Serverless2ToJSON),
  pod: model(controlModels.PodBased1FromJSON, controlModels.PodBased1ToJSON),
  byoc: model(controlModels.BYOC2FromJSON, controlModels.BYOC2ToJSON),
};

/**
 * The generated `IndexSpecToJSON` writes `{}` for a spec its own `IndexSpecFromJSON` read (the
 * merged variants all test positive), so the spec goes through its variant's model instead.
 */
const createIndexModel: Model = {
  fromJson: (json) => {
    const { spec, ...rest } = json as { spec?: Record<string, unknown> };
    const variant = specVariants[Object.keys(spec ?? {})[0] ?? ''];
    return { rest: controlModels.CreateIndexRequestFromJSON(rest as never), spec: variant === undefined ? undefined : variant.fromJson(spec) };
  },
  toJson: (value) => {
    const { rest, spec } = value as { rest: controlModels.CreateIndexRequest; spec: Record<string, unknown> | undefined };
    const variant = specVariants[Object.keys(spec ?? {})[0] ?? ''];
    return { ...(controlModels.CreateIndexRequestToJSON({ ...rest, spec: undefined as never }) as object), spec: variant?.toJson(spec) };
  },
};

const models: Record<string, Model> = {
  'POST /indexes': createIndexModel,
  'POST /vectors/upsert': model(dataModels.UpsertRequestFromJSON, dataModels.UpsertRequestToJSON),
  'POST /query': model(dataModels.QueryRequestFromJSON, dataModels.QueryRequestToJSON),
  'POST /vectors/delete': model(dataModels.DeleteRequestFromJSON, dataModels.DeleteRequestToJSON),
  'POST /vectors/fetch_by_metadata': model(dataModels.FetchByMetadataRequestFromJSON, dataModels.FetchByMetadataRequestToJSON),
  'POST /describe_index_stats': model(dataModels.DescribeIndexStatsRequestFromJSON, dataModels.DescribeIndexStatsRequestToJSON),
  'POST /namespaces': model(dataModels.CreateNamespaceRequestFromJSON, dataModels.CreateNamespaceRequestToJSON),
};

interface SentBody {
  route: string;
  body: unknown;
}

let emulator: PineconeEmulator;
const sent: SentBody[] = [];

/** The route a request takes, with the index host's `/data/<id>` prefix taken off. */
function routeOf(method: string, url: string): string {
  const path = new URL(url).pathname.replace(/^\/data\/[^/]+/, '');
  return `${method} ${path}`;
}

const recordingFetch: typeof fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
  if (typeof init?.body === 'string' && init.body !== '') sent.push({ route: routeOf(method, url), body: JSON.parse(init.body) });
  return fetch(input, init);
};

function client() {
  return new Pinecone({ apiKey: emulator.apiKey, controllerHostUrl: emulator.controllerHostUrl, fetchApi: recordingFetch });
}

/** The body as the official model would write it: keys outside the model are gone. */
function throughModel(route: string, body: unknown): unknown {
  const known = models[route];
  if (known === undefined) throw new Error(`no official request model for ${route}`);
  return JSON.parse(JSON.stringify(known.toJson(known.fromJson(body))));
}

beforeAll(async () => {
  emulator = await startPineconeEmulator({ unknownFields: 'ignore' });
});
afterAll(() => emulator.stop());

const strategies: [string, () => IsolationStrategy][] = [
  ['collection-per-tenant', collectionPerTenant],
  ['namespace-per-tenant', namespacePerTenant],
  ['metadata-filter', metadataFilter],
  ['source-prefix', sourcePrefix],
];

describe('request shapes the adapter sends', () => {
  it('catches a key outside the official model (the check can fail)', () => {
    const stray: [string, unknown][] = [
      ['POST /query', { topK: 1, vector: [1, 0], top_k: 1 }],
      ['POST /vectors/upsert', { vectors: [{ id: 'a', values: [1, 0], score: 1 }] }],
      ['POST /indexes', { name: 'x', dimension: 2, spec: { serverless: { cloud: 'aws', region: 'us-east-1', replicas: 1 } } }],
    ];
    for (const [route, body] of stray) expect(throughModel(route, body)).not.toEqual(body);
    const exact = { name: 'x', dimension: 2, metric: 'cosine', spec: { serverless: { cloud: 'aws', region: 'us-east-1' } } };
    expect(throughModel('POST /indexes', exact)).toEqual(exact);
    expect(() => throughModel('POST /vectors/update', {})).toThrow(/no official request model/);
  });

  it.each(strategies)('holds every body to the client request models under %s', async (name, strategy) => {
    sent.length = 0;
    const store = await createTenantVectorStore({ backend: pinecone({ client: client(), retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }), strategy: strategy(), dimension: 3, metric: 'dot', name: `shape_${name.split('-')[0]}` });
    const acme = store.forTenant('acme');
    await acme.upsert([
      { id: 'a', vector: [1, 0, 0], metadata: { kind: 'pdf', pages: 3, tags: ['x'] }, source: 'kb/fin', text: 'hello' },
      { id: 'b', vector: [0, 1, 0], metadata: { kind: 'doc' } },
    ]);
    await store.forTenant('beta').upsert([{ id: 'a', vector: [1, 0, 0] }]);
    expect((await acme.query({ vector: [1, 0, 0], topK: 5, filter: { kind: 'pdf' }, includeVectors: true })).map((hit) => hit.id)).toEqual(['a']);
    expect((await acme.query({ text: 'hello', mode: 'hybrid', vector: [1, 0, 0], topK: 5, filter: { kind: 'pdf' } })).map((hit) => hit.id)).toEqual(['a']);
    expect((await acme.get('a'))?.metadata).toEqual({ kind: 'pdf', pages: 3, tags: ['x'] });
    expect(await acme.count({ filter: { pages: { $gte: 2 } } })).toBe(1);
    expect(await acme.scope('kb').count()).toBe(1);
    expect((await store.listTenants()).tenants).toEqual(['acme', 'beta']);
    await acme.delete({ filter: { kind: 'doc' } });
    await acme.delete({ ids: ['a'] });
    expect(await acme.count()).toBe(0);
    await store.dropTenant('beta');
    await store.close();
    const routes = new Set(sent.map((entry) => entry.route));
    expect(routes).toContain('POST /vectors/upsert');
    expect(routes).toContain('POST /query');
    // Sparse values on the write and the keyword query went through the models too.
    expect(sent.some(({ route, body }) => route === 'POST /vectors/upsert' && JSON.stringify(body).includes('"sparseValues"'))).toBe(true);
    expect(sent.some(({ route, body }) => route === 'POST /query' && JSON.stringify(body).includes('"sparseVector"'))).toBe(true);
    expect(sent.length).toBeGreaterThan(5);
    for (const { route, body } of sent) expect({ route, body: throughModel(route, body) }).toEqual({ route, body });
  });
});
