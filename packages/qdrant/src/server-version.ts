import { UnsupportedError } from '@tenantvec/core';

/** The first Qdrant release with a per-query IDF corpus (`params.idf`, lib/segment/src/types.rs `IdfParams`). */
export const IDF_CORPUS_SINCE = { major: 1, minor: 19 } as const;

/**
 * Refuses keyword search within walls on a server older than 1.19. Such a server ignores the
 * unknown `params.idf` (serde ignores unknown fields there) and would answer with statistics over
 * every tenant of the shard: scores that leak, returned as if nothing were wrong.
 */
export function assertIdfCorpusSupported(version: string | undefined): void {
  const match = /^v?(\d+)\.(\d+)\./.exec(version ?? '');
  const major = Number(match?.[1]);
  const minor = Number(match?.[2]);
  const { major: neededMajor, minor: neededMinor } = IDF_CORPUS_SINCE;
  if (match !== null && (major > neededMajor || (major === neededMajor && minor >= neededMinor))) return;
  throw new UnsupportedError(
    `This Qdrant server (version ${version === undefined || version === '' ? 'unknown' : JSON.stringify(version)}) has no per-query IDF corpus (params.idf, Qdrant ${neededMajor}.${neededMinor}+), `
    + 'so keyword scores would count every document of the shard, other tenants\' included where they share it, instead of the scope\'s. '
    + `Upgrade Qdrant to ${neededMajor}.${neededMinor} or later, or give each tenant its own collection (collection-per-tenant) or shard key (namespace-per-tenant) and query it unnarrowed.`,
  );
}
