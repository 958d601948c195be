import { createHash } from 'node:crypto';

/** Pinecone's longest record id, in characters. */
export const MAX_PINECONE_ID_LENGTH = 512;

/**
 * Pinecone ids must be ASCII. Every character outside printable ASCII, and '%' itself, is
 * percent-encoded as UTF-8, so the mapping is injective and reversible.
 */
function percentEncode(id: string): string {
  let output = '';
  for (const character of id) {
    const code = character.codePointAt(0)!;
    if (code >= 0x20 && code <= 0x7e && character !== '%') output += character;
    else for (const byte of Buffer.from(character, 'utf8')) output += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return output;
}

/**
 * Joins the head and the digest of a shortened id. The encoding above writes '%' only as '%'
 * and two hex digits, so '%~' never appears in an id kept whole: no id, however it is spelled,
 * maps to the shortened form of another.
 */
const DIGEST_MARK = '%~';

/** The Pinecone id of a physical id, and whether it is lossy (then the physical id is kept in metadata). */
export function pineconeIdOf(physicalId: string): { id: string; lossy: boolean } {
  const encoded = percentEncode(physicalId);
  if (encoded.length <= MAX_PINECONE_ID_LENGTH) return { id: encoded, lossy: false };
  // Too long once encoded: a readable head plus a digest of the whole id, still unique.
  const digest = createHash('sha256').update(physicalId, 'utf8').digest('hex');
  const head = encoded.slice(0, MAX_PINECONE_ID_LENGTH - digest.length - DIGEST_MARK.length).replace(/%[0-9A-F]?$/, '');
  return { id: `${head}${DIGEST_MARK}${digest}`, lossy: true };
}

/** The physical id behind a Pinecone id that `pineconeIdOf` made without loss. */
export function physicalIdOf(pineconeId: string): string {
  return decodeURIComponent(pineconeId);
}
