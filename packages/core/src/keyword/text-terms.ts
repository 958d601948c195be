/**
 * The one text analyser keyword search is defined by. Backends that compute term weights
 * themselves (Qdrant and Pinecone sparse values, the memory reference) use it, so a term means
 * the same thing everywhere; Postgres with its `simple` configuration splits the same way.
 */

/** Terms longer than this are cut: a pasted hash or base64 blob should not make one giant term. */
export const MAX_TERM_LENGTH = 64;

/**
 * Lowercased runs of letters and digits, in order, repeats kept (term frequency counts them).
 * Unicode-aware: `Überweisung` and `überweisung` are one term, and so are NFKC-equivalent forms.
 */
export function textTerms(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    terms.push(match[0].slice(0, MAX_TERM_LENGTH));
  }
  return terms;
}

/** Each distinct query term once, in first-seen order. */
export function queryTerms(text: string): string[] {
  return [...new Set(textTerms(text))];
}

/** How often each term occurs, and how many terms the text has in all (its BM25 length). */
export function termCounts(text: string): { counts: Map<string, number>; length: number } {
  const counts = new Map<string, number>();
  const terms = textTerms(text);
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return { counts, length: terms.length };
}

/**
 * A stable 32-bit index for a term (FNV-1a over its UTF-8 bytes), for sparse vectors whose
 * dimensions are integers. Collisions merge two terms' weights; at 2^32 slots that is rare
 * enough for ranking, and it never crosses tenants because scoring stays inside a scope.
 */
export function termIndex(term: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(term)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The words a search-box query (`keywordSyntax: 'websearch'`, read as Postgres's
 * `websearch_to_tsquery` reads it) searches for, by core's analyser: a standalone `or` is an
 * operator and `-word` or `-"a phrase"` only excludes, so neither is scored. Quoted phrases count
 * with their words.
 */
export function websearchTerms(text: string): string[] {
  const searched: string[] = [];
  for (const token of text.match(/-?"[^"]*"?|\S+/g) ?? []) {
    if (token.startsWith('-') || token.toLowerCase() === 'or') continue;
    searched.push(token.replaceAll('"', ' '));
  }
  return queryTerms(searched.join(' '));
}
