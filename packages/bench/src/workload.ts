import { bucketOf, sizeBuckets, type SizeBucketName } from './size-buckets.js';
import type { SeededRandom } from './seeded-random.js';

export interface WorkloadTenant {
  id: string;
  /** Records the tenant holds (queries held out of a JSONL file are not counted). */
  size: number;
  /** Records of the tenants before it: where its records start in the workload's order. */
  offset: number;
  bucket: SizeBucketName;
}

export interface WorkloadQuery {
  /** Index into `Workload.tenants`: the tenant whose scope asks. */
  tenant: number;
  vector: Float32Array;
}

/**
 * Everything one run ingests and asks, identical for every strategy. Vectors are unit length.
 * They are read a tenant at a time, so a synthetic workload never has to hold them all: at
 * 1,000,000 × 384 they would take 1.5 GB even as one Float32Array.
 */
export interface Workload {
  source: 'synthetic' | 'jsonl' | 'labelled-text';
  description: string;
  dimension: number;
  tenants: WorkloadTenant[];
  /** Records of all tenants. */
  records: number;
  /** One tenant's vectors back to back (`size × dimension` floats); do not keep or change it. */
  tenantVectors(tenantIndex: number): Float32Array;
  /** One tenant's texts in the order of its vectors, where the workload has text (`--mode hybrid`). */
  tenantTexts?(tenantIndex: number): readonly string[];
  queries: WorkloadQuery[];
}

/**
 * Record ids carry their tenant's index, so any result can be traced to its owner without a
 * lookup — which is how the bench recognises a result that crossed a tenant's walls.
 */
export function recordId(tenantIndex: number, localIndex: number): string {
  return `${tenantIndex}.${localIndex}`;
}

export function ownerOf(id: string): { tenant: number; local: number } | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(id);
  return match === null ? undefined : { tenant: Number(match[1]), local: Number(match[2]) };
}

export function vectorOf(workload: Workload, tenantIndex: number, localIndex: number): Float32Array {
  const { dimension } = workload;
  return workload.tenantVectors(tenantIndex).subarray(localIndex * dimension, (localIndex + 1) * dimension);
}

export function tenantIdFor(index: number, count: number): string {
  return `tenant-${String(index + 1).padStart(Math.max(4, String(count).length), '0')}`;
}

export function makeTenants(ids: readonly string[], sizes: readonly number[]): WorkloadTenant[] {
  let offset = 0;
  return sizes.map((size, index) => {
    const tenant = { id: ids[index]!, size, offset, bucket: bucketOf(size) };
    offset += size;
    return tenant;
  });
}

/**
 * Which tenant asks each query: the queries are shared equally by the size buckets that have
 * tenants (so the one 50,000-record tenant gets as many samples as the 900 small ones), and
 * within a bucket each query goes to a tenant drawn at random.
 */
export function allocateQueries(tenants: readonly WorkloadTenant[], total: number, random: SeededRandom): number[] {
  const members = sizeBuckets
    .map((bucket) => tenants.flatMap((tenant, index) => (tenant.bucket === bucket.name ? [index] : [])))
    .filter((indexes) => indexes.length > 0);
  const asking: number[] = [];
  members.forEach((indexes, position) => {
    const share = Math.floor(total / members.length) + (position < total % members.length ? 1 : 0);
    for (let query = 0; query < share; query += 1) asking.push(indexes[random.integer(indexes.length)]!);
  });
  return asking;
}

/** Scales a vector to unit length in place; cosine similarity is then a dot product. */
export function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let index = 0; index < vector.length; index += 1) vector[index]! /= norm;
  return vector;
}
