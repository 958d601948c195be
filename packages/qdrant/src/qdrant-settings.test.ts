import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@tenantvec/core';
import { QdrantClient } from '@qdrant/js-client-rest';
import { qdrant } from './qdrant-backend.js';

describe('qdrant() settings', () => {
  it('accepts connection settings or a ready client', () => {
    expect(qdrant({ url: 'http://127.0.0.1:1', checkCompatibility: false, maxBatchSize: 10 }).capabilities.maxBatchSize).toBe(10);
    const client = new QdrantClient({ url: 'http://127.0.0.1:1', checkCompatibility: false });
    expect(qdrant({ client }).client).toBe(client);
  });

  it('refuses unknown settings, wrong types and a client mixed with connection settings, without echoing values', () => {
    const attempts: unknown[] = [
      { url: 'localhost:6333' },
      { apiKey: 42 },
      { maxBatchSize: 0 },
      { retry: { attempts: 3 } },
      { urll: 'http://x' },
      { client: new QdrantClient({ url: 'http://127.0.0.1:1', checkCompatibility: false }), apiKey: 'sk-secret-value' },
    ];
    for (const settings of attempts) {
      let error: unknown;
      try {
        qdrant(settings as never);
      } catch (caught) {
        error = caught;
      }
      expect(ConfigurationError.isInstance(error), JSON.stringify(Object.keys(settings as object))).toBe(true);
      expect((error as Error).message).not.toContain('sk-secret-value');
      expect((error as Error).message).not.toContain('localhost:6333');
    }
  });

  it('names a misspelt setting with its path and the setting it was meant to be', () => {
    expect(() => qdrant({ ulr: 'http://127.0.0.1:1' } as never)).toThrow('Invalid qdrant settings: qdrant.ulr: unknown setting; did you mean url?');
    expect(() => qdrant({ url: 'http://127.0.0.1:1', retry: { maxAttempt: 2 } } as never)).toThrow('qdrant.retry.maxAttempt: unknown setting; did you mean maxAttempts?');
  });

  it('says where it is, without the API key or credentials in the URL', () => {
    const backend = qdrant({ url: 'https://user:pw-secret@qdrant.example:6333', apiKey: 'sk-secret-value', checkCompatibility: false });
    expect(backend.describe()).toEqual({ kind: 'qdrant', url: 'https://qdrant.example:6333' });
    const client = new QdrantClient({ url: 'http://127.0.0.1:1', checkCompatibility: false });
    expect(qdrant({ client }).describe()).toEqual({ kind: 'qdrant', detail: 'a client handed in' });
  });
});
