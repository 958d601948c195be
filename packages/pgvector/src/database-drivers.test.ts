import { ConfigurationError } from '@tenantvec/core';
import { describe, expect, it } from 'vitest';
import { createEmbeddedDatabase, loadPg } from './database-drivers.js';

/** An importer as Node answers when a package is not installed. */
const notInstalled = async (specifier: string) => {
  throw Object.assign(new Error(`Cannot find package '${specifier}'`), { code: 'ERR_MODULE_NOT_FOUND' });
};

describe('optional database drivers', () => {
  it('names what to install when PGlite is missing, as a ConfigurationError', async () => {
    const failure = await createEmbeddedDatabase(undefined, notInstalled).catch((error: unknown) => error);
    expect(ConfigurationError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/needs the optional peer dependency @electric-sql\/pglite, which is not installed: npm install @electric-sql\/pglite@0\.5\.14 @electric-sql\/pglite-pgvector@0\.0\.15/);
  });

  it('names what to install when pg is missing', async () => {
    await expect(loadPg(notInstalled)).rejects.toThrow(/A connection to a Postgres server needs the optional peer dependency pg, which is not installed: npm install pg/);
  });

  it('passes any other import failure through unchanged', async () => {
    const broken = new Error('syntax error in the driver');
    await expect(loadPg(async () => Promise.reject(broken))).rejects.toBe(broken);
  });

  it('loads the installed drivers only when asked', async () => {
    const loaded: string[] = [];
    const pg = await loadPg(async (specifier) => {
      loaded.push(specifier);
      return import(specifier);
    });
    expect(typeof pg.Pool).toBe('function');
    expect(loaded).toEqual(['pg']);
  });
});
