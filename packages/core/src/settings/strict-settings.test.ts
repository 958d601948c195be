import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigurationError } from '../errors.js';
import { memoryBackend } from '../memory/memory-backend.js';
import { closestName, editDistance, parseSettings, settingsProblemsOf } from './strict-settings.js';

const schema = z.strictObject({
  connectionString: z.string().min(1).optional(),
  password: z.string().optional(),
  hnsw: z.strictObject({ efSearch: z.number().int().min(1).max(1000).optional() }).optional(),
});

function problemOf(settings: unknown, elsewhere?: Record<string, string>): string {
  try {
    parseSettings({ schema, settings, root: 'pgvector', ...(elsewhere === undefined ? {} : { elsewhere }) });
  } catch (error) {
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect(settingsProblemsOf(error)).toBeDefined();
    return (error as Error).message;
  }
  throw new Error('expected the settings to be refused');
}

describe('parseSettings', () => {
  it('refuses an unknown key with its path and the setting it was probably meant to be', () => {
    expect(problemOf({ connectionStrng: 'postgres://x' })).toBe('Invalid pgvector settings: pgvector.connectionStrng: unknown setting; did you mean connectionString?');
    expect(problemOf({ hnsw: { efSerch: 10 } })).toMatch('pgvector.hnsw.efSerch: unknown setting; did you mean efSearch?');
  });

  it('suggests nothing when no known name is close', () => {
    expect(problemOf({ colour: 'blue' })).toBe('Invalid pgvector settings: pgvector.colour: unknown setting.');
  });

  it('explains a key that belongs to a sibling adapter', () => {
    expect(problemOf({ dataDir: './data' }, { dataDir: 'a PGlite setting: use pglite({ dataDir })' })).toMatch('pgvector.dataDir: a PGlite setting');
  });

  it('never repeats a value, valid or not', () => {
    const secret = 'hunter2-super-secret';
    const message = problemOf({ password: 42, connectionStrng: `postgres://user:${secret}@db/app`, hnsw: { efSearch: secret } });
    expect(message).not.toContain(secret);
    expect(message).not.toContain('42');
    expect(message).toMatch('pgvector.password');
    expect(message).toMatch('pgvector.hnsw.efSearch');
  });

  it('returns the parsed settings when they are valid', () => {
    expect(parseSettings({ schema, settings: { hnsw: { efSearch: 5 } }, root: 'pgvector' })).toEqual({ hnsw: { efSearch: 5 } });
  });
});

describe('closestName', () => {
  it('counts a swap of two neighbours as one edit', () => {
    expect(editDistance('dataDri', 'dataDir')).toBe(1);
    expect(closestName('dataDri', ['dataDir', 'pglite'])).toBe('dataDir');
    expect(closestName('APIKEY', ['apiKey'])).toBe('apiKey');
    expect(closestName('url', ['pool'])).toBeUndefined();
  });
});

describe('memoryBackend settings', () => {
  it('refuses a misspelt setting in code', () => {
    expect(() => memoryBackend({ maxBatchsize: 2 } as never)).toThrow('memoryBackend.maxBatchsize: unknown setting; did you mean maxBatchSize?');
  });
});
