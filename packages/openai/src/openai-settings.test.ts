import { ConfigurationError } from '@tenantvec/core';
import { describe, expect, it } from 'vitest';
import { openaiEmbedder } from './openai-embedder.js';
import type { OpenAIEmbedderSettings } from './openai-settings.js';

const apiKey = 'test';
const refused = (settings: Record<string, unknown>, message: RegExp) => {
  expect(() => openaiEmbedder({ apiKey, ...settings } as OpenAIEmbedderSettings)).toThrow(ConfigurationError);
  expect(() => openaiEmbedder({ apiKey, ...settings } as OpenAIEmbedderSettings)).toThrow(message);
};

describe('openaiEmbedder settings', () => {
  it('takes the JSON settings of a config file', () => {
    const settings = JSON.parse('{ "model": "text-embedding-3-small", "dimensions": 512, "apiKey": "test", "maxRetries": 4, "timeout": 30000 }');
    expect(openaiEmbedder(settings)).toMatchObject({ name: 'openai:text-embedding-3-small', dimension: 512, maxBatchSize: 2048 });
  });

  it('refuses dimensions for text-embedding-ada-002', () => {
    refused({ model: 'text-embedding-ada-002', dimensions: 512 }, /does not accept dimensions/);
  });

  it('refuses dimensions beyond the model or not a positive integer', () => {
    refused({ model: 'text-embedding-3-small', dimensions: 2000 }, /at most 1536/);
    refused({ model: 'text-embedding-3-large', dimensions: 0 }, /dimensions must be an integer/);
    refused({ model: 'text-embedding-3-large', dimensions: 12.5 }, /dimensions must be an integer/);
    expect(openaiEmbedder({ apiKey, model: 'text-embedding-3-large', dimensions: 3072 }).dimension).toBe(3072);
  });

  it('needs dimensions for a model it does not know', () => {
    refused({ model: 'my-embedding-model' }, /set dimensions/);
    expect(openaiEmbedder({ apiKey, model: 'my-embedding-model', dimensions: 768 }).dimension).toBe(768);
  });

  it('needs a model', () => {
    refused({}, /model is required/);
    refused({ model: '' }, /model must be a non-empty string/);
  });

  it('refuses unknown settings, naming the one a typo was meant to be', () => {
    refused({ model: 'text-embedding-3-small', dimension: 512 }, /openaiEmbedder\.dimension: unknown setting; did you mean dimensions\?/);
    refused({ model: 'text-embedding-3-small', apiKye: 'sk-live-secret' }, /openaiEmbedder\.apiKye: unknown setting; did you mean apiKey\?/);
    expect(() => openaiEmbedder({ model: 'text-embedding-3-small', apiKye: 'sk-live-secret' } as never)).not.toThrow(/sk-live-secret/);
  });

  it('keeps maxBatchSize within the API limit of 2048 inputs', () => {
    refused({ model: 'text-embedding-3-small', maxBatchSize: 4096 }, /maxBatchSize must be an integer from 1 to 2048/);
    expect(openaiEmbedder({ apiKey, model: 'text-embedding-3-small', maxBatchSize: 100 }).maxBatchSize).toBe(100);
  });

  it('keeps the per-input token limit within the per-request one', () => {
    refused({ model: 'text-embedding-3-small', maxTokensPerRequest: 1000, maxTokensPerInput: 2000 }, /maxTokensPerInput must be an integer from 1 to 1000/);
  });

  it('takes either a ready client or connection settings, not both', () => {
    const client = { embeddings: { create: async () => ({ data: [] }) } };
    refused({ model: 'text-embedding-3-small', client, baseURL: 'http://localhost' }, /either client or .*baseURL/);
    expect(() => openaiEmbedder({ model: 'text-embedding-3-small', client: {} as never })).toThrow(/no embeddings.create/);
    // A ready client needs no key of ours.
    expect(openaiEmbedder({ model: 'text-embedding-3-small', client }).dimension).toBe(1536);
  });

  it('refuses settings of the wrong type', () => {
    refused({ model: 'text-embedding-3-small', onUsage: 'meter' }, /onUsage must be a function/);
    refused({ model: 'text-embedding-3-small', maxRetries: -1 }, /maxRetries must be an integer from 0/);
  });
});
