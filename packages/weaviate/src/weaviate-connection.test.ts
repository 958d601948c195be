import { describe, expect, it } from 'vitest';
import { resolveConnection } from './weaviate-connection.js';
import { createWeaviateBackend } from './weaviate-backend.js';

describe('weaviate connection settings', () => {
  it('falls back to WEAVIATE_URL, WEAVIATE_GRPC_URL and WEAVIATE_API_KEY', () => {
    expect(resolveConnection({}, { WEAVIATE_URL: 'https://db.example.com', WEAVIATE_API_KEY: 'k' })).toEqual({
      httpHost: 'db.example.com', httpPort: 443, httpSecure: true, grpcHost: 'db.example.com', grpcPort: 50051, grpcSecure: true, apiKey: 'k',
    });
    expect(resolveConnection({}, { WEAVIATE_URL: 'localhost:8080', WEAVIATE_GRPC_URL: 'grpc.local:50052' })).toMatchObject({
      httpHost: 'localhost', httpPort: 8080, httpSecure: false, grpcHost: 'grpc.local', grpcPort: 50052,
    });
  });

  it('prefers explicit settings, and defaults to a local server', () => {
    expect(resolveConnection({ httpHost: 'h', grpcPort: 1 }, { WEAVIATE_URL: 'http://other:9' })).toMatchObject({ httpHost: 'h', httpPort: 9, grpcHost: 'h', grpcPort: 1 });
    expect(resolveConnection({}, {})).toMatchObject({ httpHost: 'localhost', httpPort: 8080, grpcPort: 50051, apiKey: undefined });
  });

  it('refuses settings a config file got wrong, before connecting', () => {
    for (const settings of [{ maxBatchSize: 0 }, { maxTopK: 20_000 }, { vectorIndexType: 'ivf' }, { inactiveTenants: 'ignore' }, { client: {}, httpHost: 'h' }]) {
      expect(() => createWeaviateBackend(settings as never)).toThrow(expect.objectContaining({ code: 'CONFIGURATION' }));
    }
    expect(createWeaviateBackend({ maxBatchSize: 100 }).capabilities.maxBatchSize).toBe(100);
  });
});
