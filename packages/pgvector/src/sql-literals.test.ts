import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase, type PGliteDatabase } from './database-drivers.js';
import { renderLiteral } from './sql-literals.js';

/** Strings built to break quoting: quotes, backslashes, placeholders, escapes, any script. */
const awkward = fc.string({ unit: fc.constantFrom("'", "''", '\\', '\\\\', '$1', '$$', 'E', "E'", '"', ';', '--', '/*', '\n', '\t', 'é', 'ß', '中', '😀', 'a', ' ') });
const text = fc.oneof(awkward, fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme-ascii' }));

/** Runs one statement with no parameters, as the one-round-trip path sends it. */
type Select = (sql: string) => Promise<unknown>;

function roundTrips(name: string, open: (standardStrings: boolean) => Promise<{ select: Select; close: () => Promise<void> }>) {
  describe.each([true, false])(`rendered literals on ${name} read back unchanged (standard_conforming_strings %s)`, (standardStrings) => {
    let select: Select;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ select, close } = await open(standardStrings));
    });
    afterAll(async () => {
      await close();
    });

    it('strings', async () => {
      await fc.assert(
        fc.asyncProperty(text, async (value) => {
          expect(await select(`SELECT ${renderLiteral(value)} AS v`)).toBe(value);
        }),
        { numRuns: 150, seed: 14 },
      );
    });
    it('a very long string', async () => {
      const value = `'\\$1${'ü'.repeat(200_000)}'`;
      expect(await select(`SELECT ${renderLiteral(value)} AS v`)).toBe(value);
    });
    it('arrays of strings and nulls, empty included', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.option(text, { nil: null }), { maxLength: 5 }), async (value) => {
          expect(await select(`SELECT ${renderLiteral(value)} AS v`)).toEqual(value);
        }),
        { numRuns: 80, seed: 17 },
      );
    });
    it('finite numbers, negative ones included, through a following cast', async () => {
      await fc.assert(
        fc.asyncProperty(fc.double({ noNaN: true, noDefaultInfinity: true }), async (value) => {
          // -0 renders as 0: the sign of zero is the one thing a decimal literal does not keep.
          expect(await select(`SELECT ${renderLiteral(value)}::float8 AS v`)).toBe(value === 0 ? 0 : value);
        }),
        { numRuns: 100, seed: 19 },
      );
    });
  });
}

roundTrips('PGlite', async (standardStrings) => {
  const database: PGliteDatabase = await createEmbeddedDatabase();
  await database.query(`SET standard_conforming_strings = ${standardStrings ? 'on' : 'off'}`);
  return {
    select: async (sql) => ((await database.query<{ v: unknown }>(sql)).rows[0] as { v: unknown }).v,
    close: () => database.close(),
  };
});

if (process.env.DATABASE_URL !== undefined) {
  roundTrips('native Postgres, simple protocol', async (standardStrings) => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`SET standard_conforming_strings = ${standardStrings ? 'on' : 'off'}`);
    return {
      select: async (sql) => ((await client.query<{ v: unknown }>(sql)).rows[0] as { v: unknown }).v,
      close: () => client.end(),
    };
  });
}

describe('renderLiteral refuses what it cannot render safely', () => {
  it.each([
    ['NUL in a string', 'a\u0000b'],
    ['NUL in an array', ['a\u0000']],
    ['NaN', Number.NaN],
    ['an infinity', Number.POSITIVE_INFINITY],
    ['an object', { a: 1 }],
    ['a nested array', [['a']]],
    ['a number in an array', [1]],
    ['a Buffer', Buffer.from('a')],
  ])('%s', (_, value) => {
    expect(() => renderLiteral(value)).toThrow(/SQL/);
  });
});
