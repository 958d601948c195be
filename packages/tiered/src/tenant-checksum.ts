import { createHash } from 'node:crypto';
import type { TenantRecord, TenantScope } from '@tenantvec/core';

const modulus = 1n << 256n;

/** A record in a form that survives every backend: float32 vectors, metadata keys sorted. */
function canonical(record: TenantRecord): string {
  const metadata = Object.fromEntries(Object.entries(record.metadata).sort(([a], [b]) => (a < b ? -1 : 1)));
  return JSON.stringify([record.id, record.vector.map((value) => Math.fround(value)), record.text ?? null, metadata, record.source ?? null]);
}

/**
 * Count and content checksum of a scope: the sum of each record's SHA-256 modulo 2^256, which
 * does not depend on the order backends return records in and needs one pass, no sorting.
 */
export async function tenantChecksum(scope: TenantScope, pageSize = 500): Promise<{ records: number; checksum: string }> {
  let sum = 0n;
  let records = 0;
  for await (const record of scope.export({ pageSize })) {
    sum = (sum + BigInt(`0x${createHash('sha256').update(canonical(record)).digest('hex')}`)) % modulus;
    records += 1;
  }
  return { records, checksum: sum.toString(16).padStart(64, '0') };
}
