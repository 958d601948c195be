import { type StoredRecord } from '@tenantvec/core/backend';
import { describe, expect, it } from 'vitest';
import { resolveSettings } from './pgvector-settings.js';
import { InlineParameters } from './sql-literals.js';
import * as statements from './sql-statements.js';
import type { Target } from './table-layout.js';

/**
 * Every statement the backend sends, pinned as text and values per operation and plan (as
 * Kysely pins compiled SQL per dialect): a change to any statement shows here, in review.
 */
const schema = 'tv';
const shared: Target = { table: 'docs', metric: 'cosine', keyColumn: 'tenant' };
const paths: Target = { table: 'files', metric: 'euclidean', keyColumn: 'source_root' };
const single: Target = { table: 'acme_docs', metric: 'dot' };
const partition: Target = { table: '_p_acme_1234', metric: 'cosine', partition: 'acme' };
const settings = resolveSettings({ schema });
const withoutSecurity = resolveSettings({ schema, rowLevelSecurity: false });

function record(id: string, extra: Partial<StoredRecord> = {}): StoredRecord {
  return { id, recordId: id.split(':')[1]!, vector: [0.25, -1], metadata: { lang: 'en' }, ...extra };
}

describe('the tenant and role settings', () => {
  it('sets the tenant and the app role, transaction-local', () => {
    expect(statements.tenantSetting({ settings, key: 'acme' })).toMatchInlineSnapshot(`
      {
        "text": "SELECT set_config($1, $2, true), set_config($3, $4, true)",
        "values": [
          "tenantvec.tenant",
          "acme",
          "role",
          "tenantvec_app",
        ],
      }
    `);
  });
  it('adds the index plan settings', () => {
    expect(statements.tenantSetting({ settings, key: 'acme', extra: { enable_sort: 'off' } })).toMatchInlineSnapshot(`
      {
        "text": "SELECT set_config($1, $2, true), set_config($3, $4, true), set_config($5, $6, true)",
        "values": [
          "tenantvec.tenant",
          "acme",
          "enable_sort",
          "off",
          "role",
          "tenantvec_app",
        ],
      }
    `);
  });
  it('sets no role without row-level security, and an absent key as the empty key', () => {
    expect(statements.tenantSetting({ settings: withoutSecurity, key: undefined })).toMatchInlineSnapshot(`
      {
        "text": "SELECT set_config($1, $2, true)",
        "values": [
          "tenantvec.tenant",
          "",
        ],
      }
    `);
  });
  it('takes the admin role for the one read across tenants, and nothing without row-level security', () => {
    expect(statements.adminSetting({ settings })).toMatchInlineSnapshot(`
      {
        "text": "SELECT set_config($1, $2, true)",
        "values": [
          "role",
          "tenantvec_admin",
        ],
      }
    `);
    expect(statements.adminSetting({ settings: withoutSecurity })).toBeUndefined();
  });
});

describe('select nearest', () => {
  const query = { schema, vector: [1, 0.5], topK: 3, includeVectors: false };
  it('exact plan on a shared table: (distance, id) order, the tenant bound', () => {
    expect(statements.selectNearest({ ...query, target: shared, scope: { tenant: 'acme' }, plan: 'exact' })).toMatchInlineSnapshot(`
      {
        "text": "SELECT id, record_id, text, metadata, source, tenant, (embedding <=> $1::vector) AS distance FROM "tv"."docs" WHERE true AND tenant = $2 ORDER BY distance, id LIMIT $3",
        "values": [
          "[1,0.5]",
          "acme",
          3,
        ],
      }
    `);
  });
  it('index plan on a shared table: distance order, the key repeated as the literal of its partial index', () => {
    expect(
      statements.selectNearest({ ...query, includeVectors: true, target: shared, scope: { tenant: 'acme' }, filter: { kind: 'eq', field: 'lang', value: 'en' }, plan: 'index' }),
    ).toMatchInlineSnapshot(`
      {
        "text": "SELECT id, record_id, text, metadata, source, tenant, embedding::text AS embedding, (embedding <=> $1::vector) AS distance FROM "tv"."docs" WHERE true AND tenant = $2 AND (COALESCE((metadata -> $3::text) = ANY($4::jsonb[]), false) OR (CASE WHEN jsonb_typeof((metadata -> $3::text)) = 'array' THEN jsonb_exists_any((metadata -> $3::text), $5::text[]) ELSE false END)) AND tenant = E'acme'::text ORDER BY distance LIMIT $6",
        "values": [
          "[1,0.5]",
          "acme",
          "lang",
          [
            ""en"",
          ],
          [
            "en",
          ],
          3,
        ],
      }
    `);
  });
  it('index plan on a path-keyed table', () => {
    expect(statements.selectNearest({ ...query, target: paths, scope: { sourcePrefix: 'acme/kb' }, plan: 'index' })).toMatchInlineSnapshot(`
      {
        "text": "SELECT id, record_id, text, metadata, source, (embedding <-> $1::vector) AS distance FROM "tv"."files" WHERE true AND source_root = $2 AND (source = $3 OR (source >= $4 AND source < $5)) AND source_root = E'acme'::text ORDER BY distance LIMIT $6",
        "values": [
          "[1,0.5]",
          "acme",
          "acme/kb",
          "acme/kb/",
          "acme/kb0",
          3,
        ],
      }
    `);
  });
  it('exact and index plans on a table of its own', () => {
    expect(statements.selectNearest({ ...query, target: single, scope: {}, plan: 'exact' })).toMatchInlineSnapshot(`
      {
        "text": "SELECT id, record_id, text, metadata, source, (embedding <#> $1::vector) AS distance FROM "tv"."acme_docs" WHERE true ORDER BY distance, id LIMIT $2",
        "values": [
          "[1,0.5]",
          3,
        ],
      }
    `);
    expect(statements.selectNearest({ ...query, target: single, scope: {}, plan: 'index' })).toMatchInlineSnapshot(`
      {
        "text": "SELECT id, record_id, text, metadata, source, (embedding <#> $1::vector) AS distance FROM "tv"."acme_docs" WHERE true ORDER BY distance LIMIT $2",
        "values": [
          "[1,0.5]",
          3,
        ],
      }
    `);
  });
  it('a tenant scope on a table without a tenant column matches nothing', () => {
    expect(statements.selectNearest({ ...query, target: partition, scope: { tenant: 'acme' }, plan: 'exact' }).text).toContain('WHERE true AND false ORDER BY');
  });
});

describe('reads by id, count, scan and stats', () => {
  it('by ids, each id once', () => {
    expect(statements.selectByIds({ schema, target: shared, scope: { tenant: 'acme' }, ids: ['acme:1', 'acme:2', 'acme:1'] })).toMatchInlineSnapshot(`
      {
        "text": "SELECT id, record_id, text, metadata, source, tenant, embedding::text AS embedding FROM "tv"."docs" WHERE true AND tenant = $1 AND id = ANY($2::text[])",
        "values": [
          "acme",
          [
            "acme:1",
            "acme:2",
          ],
        ],
      }
    `);
  });
  it('count with a filter', () => {
    expect(statements.countRecords({ schema, target: partition, scope: {}, filter: { kind: 'gt', field: 'year', value: 2020 } })).toMatchInlineSnapshot(`
      {
        "text": "SELECT count(*) AS count FROM "tv"."_p_acme_1234" WHERE true AND (CASE WHEN jsonb_typeof((metadata -> $1::text)) = 'number' THEN ((metadata -> $1::text) #>> '{}')::numeric > $2::numeric ELSE false END)",
        "values": [
          "year",
          "2020",
        ],
      }
    `);
  });
  it('scan pages, one row beyond the page', () => {
    expect(statements.scanPage({ schema, target: shared, scope: { tenant: 'acme' }, after: 'acme:1', limit: 2 })).toMatchInlineSnapshot(`
      {
        "text": "SELECT id, record_id, text, metadata, source, tenant, embedding::text AS embedding FROM "tv"."docs" WHERE true AND tenant = $1 AND id > $2 ORDER BY id LIMIT $3",
        "values": [
          "acme",
          "acme:1",
          3,
        ],
      }
    `);
    expect(statements.scanPage({ schema, target: single, scope: {}, limit: 2 })).toMatchInlineSnapshot(`
      {
        "text": "SELECT id, record_id, text, metadata, source, embedding::text AS embedding FROM "tv"."acme_docs" WHERE true ORDER BY id LIMIT $1",
        "values": [
          3,
        ],
      }
    `);
  });
  it('scope stats', () => {
    expect(statements.scopeStats({ schema, target: shared, scope: { tenant: 'acme' } })).toMatchInlineSnapshot(`
      {
        "text": "SELECT sum(pg_column_size(stored.*)) AS bytes, max(written_at) AS last FROM "tv"."docs" AS stored WHERE true AND tenant = $1",
        "values": [
          "acme",
        ],
      }
    `);
  });
  it("a key's size", () => {
    expect(statements.keySize({ schema, table: 'docs', key: 'acme' })).toMatchInlineSnapshot(`
      {
        "text": "SELECT records, indexed FROM "tv"."_vector_indexes" WHERE table_name = $1 AND key = $2",
        "values": [
          "docs",
          "acme",
        ],
      }
    `);
  });
  it('tenant keys, by column and by first path segment', () => {
    expect(statements.listTenantKeys({ schema, target: shared, key: 'tenant', limit: 100 })).toMatchInlineSnapshot(`
      {
        "text": "SELECT DISTINCT tenant AS key FROM "tv"."docs" WHERE tenant IS NOT NULL ORDER BY key LIMIT $1",
        "values": [
          100,
        ],
      }
    `);
    expect(statements.listTenantKeys({ schema, target: single, key: 'first_segment', after: 'acme', limit: 100 })).toMatchInlineSnapshot(`
      {
        "text": "SELECT DISTINCT split_part(source, '/', 1) AS key FROM "tv"."acme_docs" WHERE split_part(source, '/', 1) IS NOT NULL AND split_part(source, '/', 1) > $1 ORDER BY key LIMIT $2",
        "values": [
          "acme",
          100,
        ],
      }
    `);
  });
});

describe('writes', () => {
  it('delete by ids, with the catalogue count', () => {
    expect(statements.deleteRecords({ schema, target: shared, scope: { tenant: 'acme' }, ids: ['acme:1'] })).toMatchInlineSnapshot(`
      {
        "text": "WITH gone AS (DELETE FROM "tv"."docs" WHERE true AND tenant = $1 AND id = ANY($2::text[]) RETURNING 1) UPDATE "tv"."_vector_indexes" SET records = greatest(records - (SELECT count(*) FROM gone), 0) WHERE table_name = $3 AND key = $4 RETURNING records, indexed",
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
        "text": "WITH gone AS (DELETE FROM "tv"."acme_docs" WHERE true AND (jsonb_exists(metadata, $1::text) = false) RETURNING 1) UPDATE "tv"."_vector_indexes" SET records = greatest(records - (SELECT count(*) FROM gone), 0) WHERE table_name = $2 AND key = $3 RETURNING records, indexed",
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
        "text": "WITH written AS (INSERT INTO "tv"."docs" (id, record_id, embedding, text, metadata, source, tenant) SELECT id, record_id, embedding::vector, text, metadata::jsonb, source, $7::text FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS input(id, record_id, embedding, text, metadata, source) ORDER BY id COLLATE "C" ON CONFLICT (tenant, id) DO UPDATE SET record_id = EXCLUDED.record_id, embedding = EXCLUDED.embedding, text = EXCLUDED.text, metadata = EXCLUDED.metadata, source = EXCLUDED.source, written_at = now() RETURNING (xmax = 0) AS inserted), counted AS (INSERT INTO "tv"."_vector_indexes" AS sizes (table_name, key, records) SELECT $8, $9, count(*) FILTER (WHERE inserted) FROM written ON CONFLICT (table_name, key) DO UPDATE SET records = sizes.records + EXCLUDED.records RETURNING records, indexed) SELECT records, indexed FROM counted",
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
        "text": "WITH written AS (INSERT INTO "tv"."acme_docs" (id, record_id, embedding, text, metadata, source) SELECT id, record_id, embedding::vector, text, metadata::jsonb, source FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS input(id, record_id, embedding, text, metadata, source) ORDER BY id COLLATE "C" ON CONFLICT (id) DO UPDATE SET record_id = EXCLUDED.record_id, embedding = EXCLUDED.embedding, text = EXCLUDED.text, metadata = EXCLUDED.metadata, source = EXCLUDED.source, written_at = now() RETURNING (xmax = 0) AS inserted), counted AS (INSERT INTO "tv"."_vector_indexes" AS sizes (table_name, key, records) SELECT $7, $8, count(*) FILTER (WHERE inserted) FROM written ON CONFLICT (table_name, key) DO UPDATE SET records = sizes.records + EXCLUDED.records RETURNING records, indexed) SELECT records, indexed FROM counted",
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
        "text": "WITH gone AS (DELETE FROM "tv"."docs" WHERE true AND tenant = E'acme'::text AND id = ANY(ARRAY[E'it''s', E'a\\\\b', E'$1']::text[]::text[]) RETURNING 1) UPDATE "tv"."_vector_indexes" SET records = greatest(records - (SELECT count(*) FROM gone), 0) WHERE table_name = E'docs'::text AND key = E'acme'::text RETURNING records, indexed",
        "values": [],
      }
    `);
  });
});
