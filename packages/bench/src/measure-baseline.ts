import type { BaselineResult, PlanningResult, StrategyResult } from './bench-results.js';
import {
  arrayLiteral,
  countStatement,
  getStatement,
  indexSessionStatements,
  partialIndexCount,
  planningMs,
  quoteName,
  readTenantLayouts,
  resetSessionStatements,
  searchStatement,
  tableOf,
  vectorText,
  type HandWrittenAccess,
  type SqlSession,
  type TenantLayout,
} from './hand-written-sql.js';
import { percentile, round } from './percentiles.js';
import type { QueryContext } from './measure-queries.js';
import { bucketLabel, sizeBuckets } from './size-buckets.js';
import { recordId, vectorOf, type Workload } from './workload.js';

/** Queries per plan whose ids are compared before timing; planning-time samples per bucket. */
const verifiedPerPlan = 15;
const planningSamplesPerBucket = 10;
/** The baseline load is a rate, not a second full ingest. */
const baselineUpsertRecords = 20_000;

interface Sessions {
  exact: SqlSession;
  index: SqlSession;
}

const ratio = (tenantvec: number, baseline: number) => round(tenantvec / baseline, 2);

/** Opens the exact and the index session; on PGlite both are its one session, and the index settings are reset after. */
async function withSessions<T>(access: HandWrittenAccess, work: (sessions: Sessions) => Promise<T>): Promise<T> {
  const exact = await access.openSession();
  const index = await access.openSession();
  try {
    for (const statement of indexSessionStatements(access)) await index.query(statement);
    return await work({ exact, index });
  } finally {
    for (const statement of resetSessionStatements) await index.query(statement);
    await index.close();
    await exact.close();
  }
}

const sessionFor = (sessions: Sessions, layout: TenantLayout) => (layout.plan === 'index' ? sessions.index : sessions.exact);

/**
 * The same queries, gets, counts and a load sent as hand-written SQL with tenantvec's plan; the
 * figures are tenantvec's p50 divided by the baseline's. Fails when the baseline and tenantvec
 * disagree on a sample of queries: a baseline with another plan measures nothing.
 */
export async function measureBaseline(params: {
  context: QueryContext;
  access: HandWrittenAccess;
  ingest: NonNullable<StrategyResult['ingest']>;
  batchSize: number;
  samples: number;
}): Promise<{ baseline: BaselineResult; planning: PlanningResult }> {
  const { context, access } = params;
  const { workload, topK } = context;
  const askingIds = [...new Set(workload.queries.map((query) => workload.tenants[query.tenant]!.id))];
  return withSessions(access, async (sessions) => {
    const layouts = await readTenantLayouts({ session: sessions.exact, access, strategy: context.strategy, strategyContext: context.strategyContext, tenantIds: askingIds });
    const layoutOf = (tenant: number) => layouts.get(workload.tenants[tenant]!.id)!;
    const search = async (index: number) => {
      const { tenant, vector } = workload.queries[index]!;
      const layout = layoutOf(tenant);
      const { rows } = await sessionFor(sessions, layout).query(...statementArguments(searchStatement(access.schema, layout, vector, topK)));
      return rows.map((row) => String(row['record_id']));
    };
    const verified = await verifySamePlan(context, layoutOf, search);

    // Paired and alternately first, like gets and counts: the second of two identical queries
    // finds the first one's pages in shared buffers, so timing the baseline after tenantvec's
    // query phase would flatter it.
    const ask = (index: number) => {
      const { tenant, vector } = workload.queries[index]!;
      return context.store.forTenant(workload.tenants[tenant]!.id).query({ vector, topK });
    };
    const baselineMs: number[] = [];
    const tenantvecMs: number[] = [];
    // Every query once both ways, untimed: a session of its own opens each tenant's table for the
    // first time here (its relation cache and plan inputs cold), which tenantvec's pool did long ago.
    for (let index = 0; index < workload.queries.length; index += 1) {
      await search(index);
      await ask(index);
    }
    for (let index = 0; index < workload.queries.length; index += 1) {
      const pair: [number[], () => Promise<unknown>][] = [[tenantvecMs, () => ask(index)], [baselineMs, () => search(index)]];
      for (const [timings, run] of index % 2 === 0 ? pair : [...pair].reverse()) {
        const started = performance.now();
        await run();
        timings[index] = performance.now() - started;
      }
      context.report('baseline', index + 1, workload.queries.length);
    }
    const queryBuckets = sizeBuckets.flatMap((bucket) => {
      const members = workload.queries.flatMap((query, index) => (workload.tenants[query.tenant]!.bucket === bucket.name ? [index] : []));
      if (members.length === 0) return [];
      const tenantvecP50Ms = percentile(members.map((index) => tenantvecMs[index]!), 0.5);
      const baselineP50Ms = percentile(members.map((index) => baselineMs[index]!), 0.5);
      const plans = members.map((index) => layoutOf(workload.queries[index]!.tenant).plan);
      return [{ bucket: bucket.name, label: bucketLabel(bucket.name), queries: members.length, indexPlanQueries: plans.filter((plan) => plan === 'index').length, tenantvecP50Ms: round(tenantvecP50Ms), baselineP50Ms: round(baselineP50Ms), ratio: ratio(tenantvecP50Ms, baselineP50Ms) }];
    });
    const reads = await measureReads(context, sessions.exact, access.schema, layoutOf, params.samples);
    const upsert = await measureBaselineUpsert(sessions.exact, access.schema, context, layoutOf(workload.queries[0]?.tenant ?? 0), params.batchSize, params.ingest);
    const planning = await measurePlanning(workload, sessions, access.schema, layoutOf, topK);
    return { baseline: { label: 'hand-written SQL, same plan', verifiedQueries: verified, queries: queryBuckets, ...reads, upsert }, planning };
  });
}

function statementArguments(statement: { sql: string; parameters: unknown[] }): [string, unknown[]] {
  return [statement.sql, statement.parameters];
}

/** Compares ids of a spread of queries of each plan; throws on the first disagreement. */
async function verifySamePlan(context: QueryContext, layoutOf: (tenant: number) => TenantLayout, search: (index: number) => Promise<string[]>): Promise<number> {
  const { workload, store, topK } = context;
  const byPlan = new Map<string, number[]>();
  workload.queries.forEach((query, index) => {
    const plan = layoutOf(query.tenant).plan;
    byPlan.set(plan, [...(byPlan.get(plan) ?? []), index]);
  });
  let verified = 0;
  for (const [plan, indexes] of byPlan) {
    const step = Math.max(1, Math.floor(indexes.length / verifiedPerPlan));
    for (let position = 0; position < indexes.length && position / step < verifiedPerPlan; position += step) {
      const index = indexes[position]!;
      const { tenant, vector } = workload.queries[index]!;
      const expected = (await store.forTenant(workload.tenants[tenant]!.id).query({ vector, topK })).map((hit) => hit.id).sort();
      const found = (await search(index)).sort();
      if (expected.join('\n') !== found.join('\n')) {
        throw new Error(`The hand-written baseline (${plan} plan) returned other records than tenantvec for query ${index} of tenant ${workload.tenants[tenant]!.id}: it does not run the same plan, so it cannot be compared.`);
      }
      verified += 1;
    }
  }
  return verified;
}

/** `getMany` of a query's true neighbours and `count`, each alternately first, through tenantvec and by hand. */
async function measureReads(context: QueryContext, session: SqlSession, schema: string, layoutOf: (tenant: number) => TenantLayout, samples: number) {
  const { workload, store, groundTruth, strategy, strategyContext } = context;
  const timings = { getTenantvec: [] as number[], getBaseline: [] as number[], countTenantvec: [] as number[], countBaseline: [] as number[] };
  const timed = async (into: number[], work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    into.push(performance.now() - started);
  };
  const count = Math.min(samples, workload.queries.length);
  for (let index = 0; index < count; index += 1) {
    const tenant = workload.queries[index]!.tenant;
    const tenantId = workload.tenants[tenant]!.id;
    const layout = layoutOf(tenant);
    const ids = groundTruth[index]!.ids;
    const placement = strategy.place(strategyContext, tenantId);
    const pairs: [number[], () => Promise<unknown>][] = [
      [timings.getTenantvec, () => store.forTenant(tenantId).getMany(ids)],
      // Records, as getMany returns them: the vectors read into numbers (pgvector prints a JSON array).
      [timings.getBaseline, async () => (await session.query(...statementArguments(getStatement(schema, layout, ids.map((id) => placement.physicalId(id)))))).rows.map((row) => ({ ...row, embedding: JSON.parse(String(row['embedding'])) as number[] }))],
      [timings.countTenantvec, () => store.forTenant(tenantId).count()],
      [timings.countBaseline, () => session.query(...statementArguments(countStatement(schema, layout)))],
    ];
    // Alternately first, so neither profits from the other warming a cache.
    const order = index % 2 === 0 ? [0, 1, 2, 3] : [1, 0, 3, 2];
    for (const position of order) await timed(...pairs[position]!);
  }
  const summary = (tenantvec: number[], baseline: number[]) => {
    const tenantvecP50Ms = percentile(tenantvec, 0.5);
    const baselineP50Ms = percentile(baseline, 0.5);
    return { samples: tenantvec.length, tenantvecP50Ms: round(tenantvecP50Ms), baselineP50Ms: round(baselineP50Ms), ratio: ratio(tenantvecP50Ms, baselineP50Ms) };
  };
  return { get: summary(timings.getTenantvec, timings.getBaseline), count: summary(timings.countTenantvec, timings.countBaseline) };
}

/**
 * `INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE` into a scratch copy of the tenant's
 * table (same columns and primary key, no vector index), in the bench's batches.
 */
async function measureBaselineUpsert(session: SqlSession, schema: string, context: QueryContext, layout: TenantLayout, batchSize: number, ingest: NonNullable<StrategyResult['ingest']>) {
  const { workload, strategy, strategyContext } = context;
  const scratch = `${quoteName(schema)}.${quoteName('bench_hand_written_load')}`;
  const source = tableOf(schema, layout);
  const { rows } = await session.query(`SELECT pg_get_constraintdef(oid) AS key FROM pg_constraint WHERE conrelid = to_regclass($1) AND contype = 'p'`, [source]);
  const primaryKey = String(rows[0]?.['key'] ?? 'PRIMARY KEY (id)');
  const conflict = primaryKey.replace(/^PRIMARY KEY /, '');
  await session.query(`DROP TABLE IF EXISTS ${scratch}`);
  await session.query(`CREATE TABLE ${scratch} (LIKE ${source} INCLUDING DEFAULTS INCLUDING GENERATED, ${primaryKey})`);
  const hasTenant = layout.keyColumn === 'tenant';
  const hasPartition = layout.partition !== undefined;
  // Source-prefix tables key on the stored root folder, which tenantvec writes explicitly.
  const hasSourceRoot = layout.keyColumn === 'source_root';
  const columns = ['id', 'record_id', 'embedding', 'source', ...(hasTenant ? ['tenant'] : []), ...(hasPartition ? ['partition_name'] : []), ...(hasSourceRoot ? ['source_root'] : [])];
  const types = ['text[]', 'text[]', 'vector[]', 'text[]', ...columns.slice(4).map(() => 'text[]')];
  const insert = `INSERT INTO ${scratch} (${columns.join(', ')}) SELECT * FROM unnest(${types.map((type, index) => `$${index + 1}::${type}`).join(', ')})
    ON CONFLICT ${conflict} DO UPDATE SET embedding = excluded.embedding, source = excluded.source, written_at = now()`;
  const total = Math.min(baselineUpsertRecords, workload.records);
  let written = 0;
  let elapsed = 0;
  try {
    for (const [tenantIndex, tenant] of workload.tenants.entries()) {
      if (written >= total) break;
      const placement = strategy.place(strategyContext, tenant.id);
      for (let start = 0; start < tenant.size && written < total; start += batchSize) {
        const locals = Array.from({ length: Math.min(batchSize, tenant.size - start, total - written) }, (_, offset) => start + offset);
        const ids = locals.map((local) => recordId(tenantIndex, local));
        const vectors = locals.map((local) => vectorText(vectorOf(workload, tenantIndex, local)));
        const columnsOfBatch: (string | null)[][] = [ids.map((id) => placement.physicalId(id)), ids, vectors, ids.map(() => placement.physicalSource(undefined) ?? null)];
        if (hasTenant) columnsOfBatch.push(ids.map(() => placement.tenantField ?? tenant.id));
        if (hasPartition) columnsOfBatch.push(ids.map(() => layout.partition ?? null));
        if (hasSourceRoot) columnsOfBatch.push(ids.map(() => layout.key));
        const values = columnsOfBatch.map(arrayLiteral);
        const started = performance.now();
        await session.query(insert, values);
        elapsed += performance.now() - started;
        written += ids.length;
      }
    }
  } finally {
    await session.query(`DROP TABLE IF EXISTS ${scratch}`);
  }
  const baselineRecordsPerSecond = Math.round(written / (elapsed / 1000));
  const tenantvecRecordsPerSecond = ingest.recordsPerSecondWithoutIndexBuilds ?? ingest.recordsPerSecond;
  return { records: written, baselineRecordsPerSecond, tenantvecRecordsPerSecond, ratio: ratio(baselineRecordsPerSecond, tenantvecRecordsPerSecond) };
}

/** Planning time of a sample of each bucket's queries, and the partial indexes the planner had to weigh. */
async function measurePlanning(workload: Workload, sessions: Sessions, schema: string, layoutOf: (tenant: number) => TenantLayout, topK: number): Promise<PlanningResult> {
  const buckets: PlanningResult['buckets'] = [];
  for (const bucket of sizeBuckets) {
    const members = workload.queries.filter((query) => workload.tenants[query.tenant]!.bucket === bucket.name);
    if (members.length === 0) continue;
    const step = Math.max(1, Math.floor(members.length / planningSamplesPerBucket));
    const times: number[] = [];
    let partialIndexes = 0;
    for (let position = 0; position < members.length && times.length < planningSamplesPerBucket; position += step) {
      const { tenant, vector } = members[position]!;
      const layout = layoutOf(tenant);
      times.push(await planningMs(sessionFor(sessions, layout), searchStatement(schema, layout, vector, topK)));
      partialIndexes = Math.max(partialIndexes, await partialIndexCount(sessions.exact, schema, layout));
    }
    buckets.push({ bucket: bucket.name, label: bucketLabel(bucket.name), samples: times.length, medianMs: round(percentile(times, 0.5)), maxMs: round(Math.max(...times)), partialIndexes });
  }
  return { buckets };
}
