import { describe, expect, it } from 'vitest';
import { resolveSettings } from './pgvector-settings.js';
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
        "text": "SELECT records, indexed, to_jsonb(sizes) ->> 'built_records' AS built_records FROM "tv"."_vector_indexes" AS sizes WHERE table_name = $1 AND key = $2",
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
