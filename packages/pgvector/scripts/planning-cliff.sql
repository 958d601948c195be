-- Planning time and INSERT cost of a tenant query as partial HNSW indexes multiply, per layout.
-- psql -X -v ON_ERROR_STOP=1 -v layout=shared|hash64|hash256|list -f planning-cliff.sql "$DATABASE_URL"
-- 200,000 rows, 10,000 tenants of 20 rows. Dimension 16: planning time is the predicate proofs
-- over the indexes the planner looks at, not the vectors, and 16 keeps 3,000 index builds short.
\set dim 16
DROP SCHEMA IF EXISTS cliff CASCADE;
CREATE SCHEMA cliff;
SET search_path = cliff, public;
SET client_min_messages = warning;
SET maintenance_work_mem = '256MB';

CREATE FUNCTION random_vector(dim int) RETURNS vector LANGUAGE sql VOLATILE AS
  $$ SELECT array_agg(random()::real)::vector FROM generate_series(1, dim) $$;

-- Median planning and execution time of a statement over `repeats` warm runs in this session.
CREATE FUNCTION timing(statement text, repeats int DEFAULT 25) RETURNS TABLE (planning_ms numeric, execution_ms numeric) LANGUAGE plpgsql AS $$
DECLARE plan json; planning numeric[] := '{}'; execution numeric[] := '{}';
BEGIN
  FOR i IN 1..repeats LOOP
    EXECUTE 'EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) ' || statement INTO plan;
    planning := planning || (plan->0->>'Planning Time')::numeric;
    execution := execution || (plan->0->>'Execution Time')::numeric;
  END LOOP;
  RETURN QUERY SELECT
    (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY value)::numeric, 3) FROM unnest(planning) AS value),
    (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY value)::numeric, 3) FROM unnest(execution) AS value);
END $$;

CREATE TABLE query_vector AS SELECT random_vector(:dim)::text AS literal;
SELECT literal AS q FROM query_vector \gset

\if :{?layout}
\else
  \set layout shared
\endif
SELECT :'layout' = 'shared' AS is_shared, :'layout' LIKE 'hash%' AS is_hash, :'layout' = 'list' AS is_list,
       CASE WHEN :'layout' LIKE 'hash%' THEN substr(:'layout', 5)::int ELSE 0 END AS modulus \gset

CREATE TABLE records (tenant text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, embedding vector(:dim) NOT NULL, PRIMARY KEY (tenant, id))
\if :is_hash
  PARTITION BY HASH (tenant);
  SELECT format('CREATE TABLE records_%s PARTITION OF records FOR VALUES WITH (MODULUS %s, REMAINDER %s)', r, :modulus, r)
    FROM generate_series(0, :modulus - 1) AS r \gexec
\elif :is_list
  PARTITION BY LIST (tenant);
  CREATE TABLE records_small PARTITION OF records DEFAULT;
\else
  ;
\endif

-- Tenants t0 .. t2999 become large (an index each), in the order 0, 1, 2 ...
\if :is_list
  SELECT format('CREATE TABLE records_t%s PARTITION OF records FOR VALUES IN (%L)', t, 't' || t) FROM generate_series(0, 2999) AS t \gexec
\endif
INSERT INTO records SELECT 't' || (n % 10000), 'r' || n, random_vector(:dim) FROM generate_series(1, 200000) AS n;
ANALYZE records;

CREATE TABLE results (layout text, indexes int, planning_ms numeric, execution_ms numeric, insert_1000_ms numeric);

-- Builds partial indexes for tenants [from, to): on the leaf holding the tenant when partitioned.
CREATE FUNCTION build(layout text, from_tenant int, to_tenant int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE leaf text;
BEGIN
  FOR t IN from_tenant .. to_tenant - 1 LOOP
    IF layout = 'list' THEN
      EXECUTE format('CREATE INDEX ON records_t%s USING hnsw (embedding vector_cosine_ops)', t);
    ELSE
      SELECT tableoid::regclass::text INTO leaf FROM records WHERE tenant = 't' || t LIMIT 1;
      EXECUTE format('CREATE INDEX ON %s USING hnsw (embedding vector_cosine_ops) WHERE tenant = %L', leaf, 't' || t);
    END IF;
  END LOOP;
END $$;

CREATE FUNCTION measure(layout text, indexes int, q text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE insert_ms numeric; plan json;
BEGIN
  -- A small tenant (no index of its own) queried exactly: the common case, and what pays the planning.
  INSERT INTO results SELECT layout, indexes, m.planning_ms, m.execution_ms, NULL
    FROM timing(format('SELECT id FROM records WHERE tenant = %L ORDER BY embedding <=> %L::vector, id LIMIT 10', 't9999', q)) AS m;
  -- 1,000 rows into a small tenant: every partial index predicate of the target relation is tested per row.
  EXECUTE format('EXPLAIN (ANALYZE, FORMAT JSON) INSERT INTO records SELECT %L, %L || n || id, embedding FROM records CROSS JOIN generate_series(1, 50) AS n WHERE tenant = %L', 't9998', 'x', 't9998')
    INTO plan;
  insert_ms := (plan->0->>'Execution Time')::numeric;
  DELETE FROM records WHERE tenant = 't9998' AND id LIKE 'x%';
  UPDATE results SET insert_1000_ms = round(insert_ms, 3) WHERE results.layout = measure.layout AND results.indexes = measure.indexes;
  -- A large tenant through its own index (the index plan).
  IF indexes > 0 THEN
    INSERT INTO results SELECT layout || ' (large tenant, index plan)', indexes, m.planning_ms, m.execution_ms, NULL
      FROM timing(format('SELECT id FROM records WHERE tenant = %L ORDER BY embedding <=> %L::vector LIMIT 10', 't0', q)) AS m;
  END IF;
END $$;

SET enable_sort = off;
SELECT measure(:'layout', 0, :'q');
SELECT build(:'layout', 0, 100);
SELECT measure(:'layout', 100, :'q');
SELECT build(:'layout', 100, 1000);
SELECT measure(:'layout', 1000, :'q');
SELECT build(:'layout', 1000, 3000);
SELECT measure(:'layout', 3000, :'q');
\pset format aligned
SELECT * FROM results ORDER BY layout, indexes;
