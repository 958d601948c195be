import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantVectorStore } from '@tenantvec/core';
import { openApiExcerpt, schemaProblems, startQdrantEmulator, type LoggedRequest, type QdrantEmulator } from '@tenantvec/emulators/qdrant';

/**
 * The adapter sends Qdrant nothing its official request schemas do not define. The emulator
 * ignores unknown keys where Qdrant does, so it would not notice a misspelled or invented field:
 * this check records every request of a realistic session under each strategy and holds its
 * body to the component schemas of Qdrant 1.19.0's OpenAPI document (the checked-in excerpt
 * `packages/emulators/src/qdrant/qdrant-openapi-excerpt.json`), every object closed to keys it does not
 * name. The checker is independent of the emulator's own schemas.
 */

/** Which official schema each body-carrying route's body is. */
const bodySchemas: [method: string, path: RegExp, schema: string][] = [
  ['PUT', /^\/collections\/[^/]+$/, 'CreateCollection'],
  ['PATCH', /^\/collections\/[^/]+$/, 'UpdateCollection'],
  ['PUT', /^\/collections\/[^/]+\/index$/, 'CreateFieldIndex'],
  ['PUT', /^\/collections\/[^/]+\/shards$/, 'CreateShardingKey'],
  ['POST', /^\/collections\/[^/]+\/shards\/delete$/, 'DropShardingKey'],
  ['PUT', /^\/collections\/[^/]+\/points$/, 'PointInsertOperations'],
  ['POST', /^\/collections\/[^/]+\/points$/, 'PointRequest'],
  ['POST', /^\/collections\/[^/]+\/points\/delete$/, 'PointsSelector'],
  ['POST', /^\/collections\/[^/]+\/points\/query$/, 'QueryRequest'],
  ['POST', /^\/collections\/[^/]+\/points\/count$/, 'CountRequest'],
  ['POST', /^\/collections\/[^/]+\/points\/scroll$/, 'ScrollRequest'],
  ['POST', /^\/collections\/[^/]+\/facet$/, 'FacetRequest'],
];

function problemsOfRequest(request: LoggedRequest): string[] {
  const route = bodySchemas.find(([method, path]) => method === request.method && path.test(request.path));
  if (route === undefined) return request.body === undefined ? [] : [`${request.method} ${request.path}: a body on a route this check does not know`];
  return schemaProblems(route[2], request.body).map((problem) => `${request.method} ${request.path} (${route[2]}) ${problem}`);
}

/** Strategies come from the workspace; the backend from this package's source, not its build. */
const fromSource = (name: string) => (name === '@tenantvec/qdrant' ? import('./index.js') : import(name)) as Promise<Record<string, unknown>>;

let emulator: QdrantEmulator;
beforeAll(async () => {
  emulator = await startQdrantEmulator();
});
afterAll(() => emulator.stop());

describe('the official schema check itself', () => {
  it('follows the Qdrant version the emulator and the client target', () => {
    expect(openApiExcerpt.about).toMatchObject({ qdrantVersion: '1.19.0', commit: '74f3e85b9473c62560006c043e13737ce6b48412' });
  });

  it('finds an unknown key, a wrong type, a broken minimum and a key outside a closed filter', () => {
    expect(schemaProblems('QueryRequest', { query: [1, 0], limit: 3, with_payload: true })).toEqual([]);
    expect(schemaProblems('QueryRequest', { query: [1, 0], top: 3 })).toEqual(['$: key `top` is not in the schema']);
    expect(schemaProblems('CountRequest', { exact: 'yes' })).toEqual(['$.exact: expected boolean, got string']);
    expect(schemaProblems('CreateCollection', { vectors: { size: 0, distance: 'Dot' } })).toEqual(['$.vectors.size: 0 is below 1']);
    expect(schemaProblems('CountRequest', { filter: { must: [{ key: 'tenant', match: { value: 'a' } }], colour: 'red' } }))
      .toEqual(['$.filter: key `colour` is not in the schema']);
    // Of a union's branches, the one whose shape fits is blamed: a point, not the batch form.
    expect(schemaProblems('PointInsertOperations', { points: [{ id: 1, vector: [1, 0], vectors_count: 1 }] }))
      .toEqual(['$.points[0]: key `vectors_count` is not in the schema']);
  });
});

describe('every request the adapter sends conforms to the official request schemas', () => {
  const strategies = ['metadata-filter', 'namespace-per-tenant', 'collection-per-tenant', 'source-prefix'] as const;
  for (const strategy of strategies) {
    it(`under ${strategy}: create, index, upsert, query, keyword and hybrid query, get, scan, count, stats, list, delete, drop`, async () => {
      emulator.requests.length = 0;
      const store = await createTenantVectorStore({
        backend: { type: 'qdrant', url: emulator.url, checkCompatibility: false, perTenantGraphs: true, exactSearch: strategy === 'metadata-filter' },
        strategy: { type: strategy },
        dimension: 3,
        name: `wire_${strategy.replaceAll('-', '_')}`.slice(0, 24),
      }, { importModule: fromSource });
      for (const tenant of ['acme', 'globex']) {
        const scope = store.forTenant(tenant);
        await scope.upsert([
          { id: 'a', vector: [1, 0, 0], text: 'first', metadata: { kind: 'pdf', year: 2024 }, source: 'kb/finance/q4' },
          { id: 'b', vector: [0, 1, 0], metadata: { kind: 'doc', tags: ['x', 'y'] }, source: 'kb/legal' },
          { id: 'c', vector: [0, 0, 1] },
        ]);
        await scope.query({ vector: [1, 0, 0], topK: 2, filter: { kind: { $in: ['pdf', 'doc'] }, year: { $gte: 2000 } } });
        await scope.query({ vector: [1, 0, 0], topK: 2, includeVectors: true, filter: { $or: [{ tags: { $exists: true } }, { kind: { $ne: 'pdf' } }] } });
        await scope.query({ text: 'first', mode: 'keyword', topK: 2, includeVectors: true, filter: { kind: { $eq: 'pdf' } } });
        await scope.scope('kb/finance').query({ text: 'first', vector: [1, 0, 0], mode: 'hybrid', topK: 2 });
        await scope.get('a');
        for await (const record of scope.export()) expect(record.id).toBeTypeOf('string');
        await scope.count();
        await scope.scope('kb/finance').count();
        await scope.stats();
        await scope.delete({ ids: ['a'] });
        await scope.delete({ filter: { kind: { $eq: 'doc' } } });
      }
      await store.listTenants();
      await store.dropTenant('globex');
      await store.close();

      const routes = new Set(emulator.requests.map((request) => `${request.method} ${request.path.replace(/^\/collections\/[^/]+/, '/collections/{name}')}`));
      // The session reached the operations this check exists for.
      for (const route of ['PUT /collections/{name}', 'PUT /collections/{name}/index', 'PUT /collections/{name}/points', 'POST /collections/{name}/points/query',
        'POST /collections/{name}/points/count', 'POST /collections/{name}/points/scroll', 'POST /collections/{name}/points/delete']) {
        expect(routes, route).toContain(route);
      }
      const alsoReached: Record<(typeof strategies)[number], string[]> = {
        'metadata-filter': ['POST /collections/{name}/facet'],
        'source-prefix': ['POST /collections/{name}/facet'],
        'collection-per-tenant': ['POST /collections/{name}/points', 'DELETE /collections/{name}'],
        'namespace-per-tenant': ['PUT /collections/{name}/shards', 'POST /collections/{name}/shards/delete', 'GET /collections/{name}/shards', 'PATCH /collections/{name}'],
      };
      for (const route of alsoReached[strategy]) expect(routes, route).toContain(route);
      const sparseQueries = emulator.requests.filter((request) => (request.body as { using?: string } | undefined)?.using === 'tv_terms');
      expect(sparseQueries.length).toBeGreaterThanOrEqual(4);
      expect(emulator.requests.flatMap(problemsOfRequest)).toEqual([]);
    });
  }
});
