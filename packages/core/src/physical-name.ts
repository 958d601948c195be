import { createHash } from 'node:crypto';
import { ConfigurationError } from './errors.js';

/** What one backend accepts as the name of a collection, partition or namespace. */
export interface NameRules {
  /** Longest name, in characters (names are ASCII). */
  maxLength: number;
  /** `lower` for backends that fold or refuse upper case (Postgres unquoted, Pinecone). */
  letterCase: 'lower' | 'any';
  /** The one punctuation character allowed between words. */
  separator: '-' | '_';
}

/** 13 base32 characters = 65 bits of SHA-256: a collision among a million tenants has odds near 1e-8. */
const HASH_LENGTH = 13;
const base32Alphabet = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array, length: number): string {
  let output = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && output.length < length) {
      output += base32Alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (output.length >= length) break;
  }
  return output;
}

/** A short, lowercase, case-preserving-safe digest of the exact id. */
export function hashOf(value: string): string {
  return base32(createHash('sha256').update(value, 'utf8').digest(), HASH_LENGTH);
}

/**
 * Derives a physical name for a tenant: `prefix`, a readable slug of the id, and a hash of the
 * exact id. The hash makes the mapping injective however the backend folds case, truncates or
 * restricts characters (`Acme` vs `acme`, `a_c` vs `a-c`, long ids sharing a 63-byte prefix);
 * the slug is only there for people reading a database console.
 */
export function physicalName(params: { prefix: string; tenantId: string; rules: NameRules }): string {
  const { prefix, tenantId, rules } = params;
  const { separator } = rules;
  const allowedPrefix = rules.letterCase === 'lower' ? /^[a-z][a-z0-9_-]*$/ : /^[A-Za-z][A-Za-z0-9_-]*$/;
  if (!allowedPrefix.test(prefix) || prefix.includes(separator === '-' ? '_' : '-')) {
    throw new ConfigurationError(
      `Name prefix ${JSON.stringify(prefix)} does not fit this backend's names (a letter, then letters, digits and '${separator}').`,
    );
  }
  const hash = hashOf(tenantId);
  const fixedLength = prefix.length + 1 + HASH_LENGTH;
  if (fixedLength > rules.maxLength) {
    throw new ConfigurationError(
      `Name prefix ${JSON.stringify(prefix)} is too long: names on this backend hold at most ${rules.maxLength} characters.`,
    );
  }
  const cased = rules.letterCase === 'lower' ? tenantId.toLowerCase() : tenantId;
  const roomForSlug = rules.maxLength - fixedLength - 1;
  const slug = cased
    .replace(/[^A-Za-z0-9]+/g, separator)
    .slice(0, Math.max(0, roomForSlug))
    .replace(new RegExp(`^\\${separator}+|\\${separator}+$`, 'g'), '');
  return slug.length > 0 ? `${prefix}${separator}${slug}${separator}${hash}` : `${prefix}${separator}${hash}`;
}
