import { createHash } from 'node:crypto';

/**
 * The namespace of every tenantvec point id (a fixed random UUID). Changing it would orphan every
 * point already written, so it is part of the storage format.
 */
export const TENANTVEC_NAMESPACE = '6b3c2a59-7d1e-4f0a-9c85-2e41d7a3b6f0';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** RFC 9562 version 5: SHA-1 over namespace bytes and name, with version and variant bits set. */
export function uuidV5(name: string, namespace: string = TENANTVEC_NAMESPACE): string {
  const digest = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/**
 * Qdrant accepts only unsigned integers and UUIDs as point ids. The physical id (already unique
 * within its location) and the partition it lives in name the point; a JSON array keeps the
 * pair injective whatever characters either part holds.
 */
export function pointIdOf(physicalId: string, partition?: string): string {
  return uuidV5(JSON.stringify(partition === undefined ? [physicalId] : [partition, physicalId]));
}
