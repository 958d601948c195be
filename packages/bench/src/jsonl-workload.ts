import { ConfigurationError } from '@tenantvec/core';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { seededRandom, derivedSeed } from './seeded-random.js';
import { allocateQueries, makeTenants, normalize, type Workload } from './workload.js';

/**
 * The user's own vectors: one JSON object a line, `{ "tenant": "acme", "vector": [ ... ] }`
 * (other fields are ignored). Tenants are ordered largest first. Queries are records held out
 * of the ingest — real data, but not a record the store holds, so no query finds itself.
 */
export async function jsonlWorkload(params: { file: string; queries: number; seed: number; dimension?: number }): Promise<Workload> {
  const byTenant = new Map<string, Float32Array[]>();
  let dimension = params.dimension;
  let line = 0;
  const lines = createInterface({ input: createReadStream(params.file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    let parsed: { tenant?: unknown; vector?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new ConfigurationError(`${params.file}:${line}: not a JSON object.`);
    }
    const { tenant, vector } = parsed;
    if (typeof tenant !== 'string' || tenant === '') throw new ConfigurationError(`${params.file}:${line}: "tenant" must be a non-empty string.`);
    if (!Array.isArray(vector) || vector.length === 0 || !vector.every((value) => typeof value === 'number' && Number.isFinite(value))) {
      throw new ConfigurationError(`${params.file}:${line}: "vector" must be a list of finite numbers.`);
    }
    dimension ??= vector.length;
    if (vector.length !== dimension) throw new ConfigurationError(`${params.file}:${line}: the vector has ${vector.length} dimensions, expected ${dimension}.`);
    const list = byTenant.get(tenant) ?? [];
    list.push(normalize(Float32Array.from(vector as number[])));
    byTenant.set(tenant, list);
  }
  if (dimension === undefined || byTenant.size === 0) throw new ConfigurationError(`${params.file} holds no records.`);

  const entries = [...byTenant].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const random = seededRandom(derivedSeed(params.seed, 'queries'));
  const asking = allocateQueries(makeTenants(entries.map(([id]) => id), entries.map(([, list]) => list.length)), params.queries, random)
    // A tenant keeps at least one record, so each query still has something to find.
    .filter((tenant) => entries[tenant]![1].length > 1);
  const queries = asking.map((tenant) => {
    const list = entries[tenant]![1];
    return { tenant, vector: list.splice(random.integer(list.length), 1)[0]! };
  });
  const tenants = makeTenants(entries.map(([id]) => id), entries.map(([, list]) => list.length));
  const vectors = new Float32Array(tenants.reduce((sum, tenant) => sum + tenant.size, 0) * dimension);
  entries.forEach(([, list], index) => list.forEach((vector, local) => vectors.set(vector, (tenants[index]!.offset + local) * dimension!)));
  return {
    source: 'jsonl',
    description: `${vectors.length / dimension} vectors of ${params.file} (${dimension}-d), ${tenants.length} tenants, ${queries.length} held out as queries`,
    dimension,
    tenants,
    records: vectors.length / dimension,
    tenantVectors: (index) => vectors.subarray(tenants[index]!.offset * dimension!, (tenants[index]!.offset + tenants[index]!.size) * dimension!),
    queries,
  };
}
