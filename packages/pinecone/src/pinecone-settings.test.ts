import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@tenantvec/core';
import { pinecone } from './pinecone-backend.js';

const apiKey = 'pc-secret-key-0123';

describe('pinecone() settings', () => {
  it('names a misspelt setting with its path and the setting it was meant to be, never the key', () => {
    let error: unknown;
    try {
      pinecone({ apiKey, indexNme: 'docs' } as never);
    } catch (caught) {
      error = caught;
    }
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('Invalid pinecone settings: pinecone.indexNme: unknown setting; did you mean indexName?');
    expect(() => pinecone({ apiKey, retry: { maxAtempts: 2 } } as never)).toThrow('pinecone.retry.maxAtempts: unknown setting; did you mean maxAttempts?');
    // `attempts` was renamed `maxAttempts`, the name every backend's retry setting uses.
    expect(() => pinecone({ apiKey, retry: { attempts: 2 } } as never)).toThrow('Invalid pinecone settings: pinecone.retry.attempts: unknown setting; did you mean maxAttempts?');
    expect(() => pinecone({ apiKey, consistency: 'strong' } as never)).toThrow(/pinecone\.consistency: /);
    expect(() => pinecone({ apiKey: 42, controllerHostUrl: apiKey } as never)).not.toThrow(apiKey);
  });

  it('says where it is, never with the API key', () => {
    const description = pinecone({ apiKey, controllerHostUrl: 'http://127.0.0.1:5080', indexName: 'docs' }).describe();
    expect(description).toEqual({ kind: 'pinecone', url: 'http://127.0.0.1:5080', database: 'docs' });
    expect(JSON.stringify(description)).not.toContain(apiKey);
  });
});
