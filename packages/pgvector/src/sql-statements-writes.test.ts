import { type StoredRecord } from '@tenantvec/core/backend';
import { describe, expect, it } from 'vitest';
import { resolveSettings } from './pgvector-settings.js';
import { InlineParameters } from './sql-literals.js';
import * as statements from './sql-statements.js';
import type { Target } from './table-layout.js';

/** The write statements and their inlined form, pinned like the reads in sql-statements.test.ts. */
const schema = 'tv';
const shared: Target = { table: 'docs', metric: 'cosine', keyColumn: 'tenant' };
const paths: Target = { table: 'files', metric: 'euclidean', keyColumn: 'source_root' };
const single: Target = { table: 'acme_docs', metric: 'dot' };
const partition: Target = { table: '_p_acme_1234', metric: 'cosine', partition: 'acme' };
const settings = resolveSettings({ schema });

function record(id: string, extra: Partial<StoredRecord> = {}): StoredRecord {
  return { id, recordId: id.split(':')[1]!, vector: [0.25, -1], metadata: { lang: 'en' }, ...extra };
}


describe('writes', () => {
  it('upsert into a hash-partitioned path-keyed table: the root written by the statement, new rows counted against the snapshot', () => {
    const partitionedPaths: Target = { ...paths, hashPartitions: 64 };
    expect(statements.upsertRecords({ schema, target: partitionedPaths, key: 'kb', records: [record('kb:1', { source: 'kb/a' })] })).toMatchInlineSnapshot(`
      {
        "text": "WITH existing AS (SELECT count(*) AS records FROM "tv"."files" WHERE source_root = $8 AND id = ANY($1::text[])), written AS (INSERT INTO "tv"."files" (id, record_id, embedding, text, metadata, source, source_root) SELECT id, record_id, embedding::vector, text, metadata::jsonb, source, $7::text FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS input(id, record_id, embedding, text, metadata, source) ORDER BY id COLLATE "C" ON CONFLICT (source_root, id) DO UPDATE SET record_id = EXCLUDED.record_id, embedding = EXCLUDED.embedding, text = EXCLUDED.text, metadata = EXCLUDED.metadata, source = EXCLUDED.source, written_at = now() RETURNING true AS inserted), counted AS (INSERT INTO "tv"."_vector_indexes" AS sizes (table_name, key, records) SELECT $9, $10, count(*) - (SELECT records FROM existing) FROM written ON CONFLICT (table_name, key) DO UPDATE SET records = sizes.records + EXCLUDED.records RETURNING records, indexed, built_records) SELECT records, indexed, built_records FROM counted",
        "values": [
          [
            "kb:1",
          ],
          [
            "1",
          ],
          [
            "[0.25,-1]",
          ],
          [
            null,
          ],
          [
            "{"lang":"en"}",
          ],
          [
            "kb/a",
          ],
          "kb",
          "kb",
          "files",
          "kb",
        ],
      }
    `);
  });
  it('delete by ids, with the catalogue count', () => {
    expect(statements.deleteRecords({ schema, target: shared, scope: { tenant: 'acme' }, ids: ['acme:1'] })).toMatchInlineSnapshot(`
      {
        "text": "WITH gone AS (DELETE FROM "tv"."docs" WHERE true AND tenant = $1 AND id = ANY($2::text[]) RETURNING 1) UPDATE "tv"."_vector_indexes" SET records = greatest(records - (SELECT count(*) FROM gone), 0) WHERE table_name = $3 AND key = $4 RETURNING records, indexed, built_records",
        "values": [
          "acme",
          [
            "acme:1",
          ],
          "docs",
          "acme",
        ],
      }
    `);
  });
  it('delete by filter on a table of its own', () => {
    expect(statements.deleteRecords({ schema, target: single, scope: {}, filter: { kind: 'exists', field: 'lang', exists: false } })).toMatchInlineSnapshot(`
      {
        "text": "WITH gone AS (DELETE FROM "tv"."acme_docs" WHERE true AND (jsonb_exists(metadata, $1::text) = false) RETURNING 1) UPDATE "tv"."_vector_indexes" SET records = greatest(records - (SELECT count(*) FROM gone), 0) WHERE table_name = $2 AND key = $3 RETURNING records, indexed, built_records",
        "values": [
          "lang",
          "acme_docs",
          "",
        ],
      }
    `);
  });
  it('upsert into a shared table, vectors as text', () => {
    expect(statements.upsertRecords({ schema, target: shared, key: 'acme', records: [record('acme:1', { tenant: 'acme', text: 'hi' })] })).toMatchInlineSnapshot(`
      {
        "text": "WITH written AS (INSERT INTO "tv"."docs" (id, record_id, embedding, text, metadata, source, tenant) SELECT id, record_id, embedding::vector, text, metadata::jsonb, source, $7::text FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS input(id, record_id, embedding, text, metadata, source) ORDER BY id COLLATE "C" ON CONFLICT (tenant, id) DO UPDATE SET record_id = EXCLUDED.record_id, embedding = EXCLUDED.embedding, text = EXCLUDED.text, metadata = EXCLUDED.metadata, source = EXCLUDED.source, written_at = now() RETURNING (xmax = 0) AS inserted), counted AS (INSERT INTO "tv"."_vector_indexes" AS sizes (table_name, key, records) SELECT $8, $9, count(*) FILTER (WHERE inserted) FROM written ON CONFLICT (table_name, key) DO UPDATE SET records = sizes.records + EXCLUDED.records RETURNING records, indexed, built_records) SELECT records, indexed, built_records FROM counted",
        "values": [
          [
            "acme:1",
          ],
          [
            "1",
          ],
          [
            "[0.25,-1]",
          ],
          [
            "hi",
          ],
          [
            "{"lang":"en"}",
          ],
          [
            null,
          ],
          "acme",
          "docs",
          "acme",
        ],
      }
    `);
  });
  it('upsert into a table of its own and into a partition', () => {
    expect(statements.upsertRecords({ schema, target: single, key: '', records: [record('1:1', { source: 'a/b' })] })).toMatchInlineSnapshot(`
      {
        "text": "WITH written AS (INSERT INTO "tv"."acme_docs" (id, record_id, embedding, text, metadata, source) SELECT id, record_id, embedding::vector, text, metadata::jsonb, source FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS input(id, record_id, embedding, text, metadata, source) ORDER BY id COLLATE "C" ON CONFLICT (id) DO UPDATE SET record_id = EXCLUDED.record_id, embedding = EXCLUDED.embedding, text = EXCLUDED.text, metadata = EXCLUDED.metadata, source = EXCLUDED.source, written_at = now() RETURNING (xmax = 0) AS inserted), counted AS (INSERT INTO "tv"."_vector_indexes" AS sizes (table_name, key, records) SELECT $7, $8, count(*) FILTER (WHERE inserted) FROM written ON CONFLICT (table_name, key) DO UPDATE SET records = sizes.records + EXCLUDED.records RETURNING records, indexed, built_records) SELECT records, indexed, built_records FROM counted",
        "values": [
          [
            "1:1",
          ],
          [
            "1",
          ],
          [
            "[0.25,-1]",
          ],
          [
            null,
          ],
          [
            "{"lang":"en"}",
          ],
          [
            "a/b",
          ],
          "acme_docs",
          "",
        ],
      }
    `);
    expect(statements.upsertRecords({ schema, target: partition, key: '', records: [record('acme:1')] }).text).toContain(
      '(id, record_id, embedding, text, metadata, source, partition_name)',
    );
  });
  it('upsert with binary vectors: one vector[] parameter in the binary array format', () => {
    const statement = statements.upsertRecords({ schema, target: shared, key: 'acme', records: [record('acme:1', { tenant: 'acme' })], vectorType: 16_385 });
    expect(statement.text).toContain('unnest($1::text[], $2::text[], $3::vector[], $4::text[], $5::text[], $6::text[])');
    const binary = statement.values[2] as Buffer;
    // dims 1, no nulls, oid, 1 element from 1; then length 12, dimension 2, unused, 0.25, -1
    expect(binary.toString('hex')).toBe('00000001' + '00000000' + '00004001' + '00000001' + '00000001' + '0000000c' + '0002' + '0000' + '3e800000' + 'bf800000');
  });
});

describe('inlined for one round trip', () => {
  it('renders every value as a typed escape-string literal, and binds none', () => {
    const inline = () => new InlineParameters();
    expect(statements.tenantSetting({ settings, key: 'acme', parameters: inline() })).toMatchInlineSnapshot(`
      {
        "text": "SELECT set_config(E'tenantvec.tenant'::text, E'acme'::text, true), set_config(E'role'::text, E'tenantvec_app'::text, true)",
        "values": [],
      }
    `);
    expect(
      statements.selectNearest({ schema, target: shared, scope: { tenant: "o'brien\\" }, vector: [1, -0.5], topK: 10, includeVectors: false, plan: 'index', parameters: inline() }),
    ).toMatchInlineSnapshot(`
      {
        "text": "SELECT id, record_id, text, metadata, source, tenant, (embedding <=> E'[1,-0.5]'::text::vector) AS distance FROM "tv"."docs" WHERE true AND tenant = E'o''brien\\\\'::text AND tenant = E'o''brien\\\\'::text ORDER BY distance LIMIT 10",
        "values": [],
      }
    `);
    expect(statements.deleteRecords({ schema, target: shared, scope: { tenant: 'acme' }, ids: ["it's", 'a\\b', '$1'], parameters: inline() })).toMatchInlineSnapshot(`
      {
        "text": "WITH gone AS (DELETE FROM "tv"."docs" WHERE true AND tenant = E'acme'::text AND id = ANY(ARRAY[E'it''s', E'a\\\\b', E'$1']::text[]::text[]) RETURNING 1) UPDATE "tv"."_vector_indexes" SET records = greatest(records - (SELECT count(*) FROM gone), 0) WHERE table_name = E'docs'::text AND key = E'acme'::text RETURNING records, indexed, built_records",
        "values": [],
      }
    `);
  });
});
