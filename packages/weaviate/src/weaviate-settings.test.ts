import { describe, expect, it } from 'vitest';
import { createWeaviateBackend as weaviate } from './weaviate-backend.js';

describe('weaviate() settings', () => {
  it('names a misspelt setting with its path and the setting it was meant to be', () => {
    expect(() => weaviate({ httpHots: 'localhost' } as never)).toThrow('Invalid weaviate settings: weaviate.httpHots: unknown setting; did you mean httpHost?');
    expect(() => weaviate({ timeoutSeconds: { querry: 3 } } as never)).toThrow('weaviate.timeoutSeconds.querry: unknown setting; did you mean query?');
    expect(() => weaviate({ retry: { maxTotalMS: 3 } } as never)).toThrow('weaviate.retry.maxTotalMS: unknown setting; did you mean maxTotalMs?');
    expect(() => weaviate({ retry: { maxAtempts: 3 } } as never)).toThrow('weaviate.retry.maxAtempts: unknown setting; did you mean maxAttempts?');
    expect(() => weaviate({ apiKey: 'wv-secret-value', vectorIndexType: 'ivf' } as never)).toThrow(/weaviate\.vectorIndexType: /);
    expect(() => weaviate({ apiKey: 'wv-secret-value', httpPort: 'wv-secret-value' } as never)).not.toThrow('wv-secret-value');
  });

  it('says where it is, never with the API key', () => {
    const description = weaviate({ httpHost: 'weaviate.internal', httpPort: 8081, apiKey: 'wv-secret-value' }).describe();
    expect(description).toEqual({ kind: 'weaviate', url: 'http://weaviate.internal:8081' });
  });
});

describe('weaviate().client', () => {
  it('is the client handed in, as a promise like a connected one', async () => {
    const client = { close: async () => undefined, getMeta: async () => ({ version: '1.33.0' }) };
    expect(await weaviate({ client } as never).client).toBe(client);
  });
});
