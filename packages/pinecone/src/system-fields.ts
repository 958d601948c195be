/**
 * Metadata keys tenantvec keeps beside the user's metadata on every Pinecone vector. Core refuses
 * user keys that do not start with a letter, so a leading '_' can never collide with them, and
 * Pinecone metadata is flat, so these sit at the top level rather than in a nested object.
 */
export const systemField = {
  /** The id the tenant gave. */
  recordId: '_record_id',
  /** The physical id, kept only when the Pinecone id could not hold it (see `point-ids.ts`). */
  physicalId: '_physical_id',
  /** The owning tenant, in shared namespaces (metadata-filter). */
  tenant: '_tenant',
  source: '_source',
  /** Every segment prefix of the source, matched exactly with `$in` for source-prefix scopes. */
  sourceAncestors: '_source_ancestors',
  text: '_text',
  /**
   * Keys whose values are numbers. Pinecone has no `$not`, so the negation of a range needs "is
   * not a number", which only this list can express.
   */
  numericKeys: '_numeric_keys',
  /** On a collection's catalog entry in one configured index: `shared` or `partitioned`. */
  collection: '_collection',
  /** A nonce per write, so read-your-writes polling can tell a replaced record from the old one. */
  writeMark: '_write',
} as const;

export function isSystemField(key: string): boolean {
  return key.startsWith('_');
}
