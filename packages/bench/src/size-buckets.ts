/**
 * Tenant-size buckets: latency and recall are reported per bucket because strategies behave
 * differently for small and large tenants (an exact scan is cheap for 500 records, an index is
 * needed for 50,000).
 */
export const sizeBuckets = [
  { name: 'small', label: '< 1k', below: 1_000 },
  { name: 'medium', label: '1k–20k', below: 20_001 },
  { name: 'large', label: '> 20k', below: Number.POSITIVE_INFINITY },
] as const;

export type SizeBucketName = (typeof sizeBuckets)[number]['name'];

/** The bucket of a tenant holding `records` records: < 1,000; 1,000 to 20,000; more than 20,000. */
export function bucketOf(records: number): SizeBucketName {
  return sizeBuckets.find((bucket) => records < bucket.below)!.name;
}

export function bucketLabel(name: SizeBucketName): string {
  return sizeBuckets.find((bucket) => bucket.name === name)!.label;
}
