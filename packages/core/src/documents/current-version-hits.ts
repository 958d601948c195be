import type { TenantPlacement } from '../isolation-strategy.js';
import type { PlannedQuery, ScopeHit } from '../scope-query.js';
import type { StoreRuntime } from '../store-runtime.js';
import type { ScopeConstraint } from '../vector-backend.js';
import { chunkPlace } from './document-fields.js';

/** What a query does with documents' chunks beyond the scope's own walls. */
export type Collapse = 'document';

/**
 * Keeps a document's chunks only while its head names their version (see `document-fields.ts`):
 * chunks a switch or a crashed ingest left behind never reach a reader. The heads are read
 * through the same walls as the hits, in one call, and only when a hit is not a head itself.
 */
async function currentVersionOnly(params: { runtime: StoreRuntime; placement: TenantPlacement; walls: ScopeConstraint; hits: readonly ScopeHit[] }): Promise<ScopeHit[]> {
  const { runtime, placement, walls, hits } = params;
  const places = hits.map((hit) => chunkPlace(hit.metadata));
  const documents = new Set(places.filter((place) => place !== undefined && place.position > 0).map((place) => place!.documentId));
  if (documents.size === 0) return [...hits];
  const heads = await runtime.backend.rawGet({ location: placement.location, scope: walls, ids: [...documents].map((id) => placement.physicalId(id)) });
  const current = new Map(runtime.verifyOwned(heads, placement, walls).map((head) => [head.recordId, chunkPlace(head.metadata)?.version]));
  return hits.filter((_, index) => {
    const place = places[index];
    return place === undefined || place.position === 0 || current.get(place.documentId) === place.version;
  });
}

/** The first (best) hit of each document; records that are not document chunks stay as they are. */
function oneHitPerDocument(hits: readonly ScopeHit[]): ScopeHit[] {
  const seen = new Set<string>();
  return hits.filter((hit) => {
    const documentId = chunkPlace(hit.metadata)?.documentId;
    if (documentId === undefined) return true;
    if (seen.has(documentId)) return false;
    seen.add(documentId);
    return true;
  });
}

/** Most rounds a query takes to refill what stale chunks or collapsing took away. */
const REFILL_ROUNDS = 3;

/**
 * Runs a planned query until it has topK hits a reader may see (or the scope has no more), each
 * round asking for four times as many: stale chunks are rare (only between a crash and a rerun),
 * collapsed ones common, so one refill round is the usual worst case.
 */
export async function visibleHits(params: {
  runtime: StoreRuntime;
  placement: TenantPlacement;
  walls: ScopeConstraint;
  planned: PlannedQuery;
  collapse: Collapse | undefined;
}): Promise<ScopeHit[]> {
  const { planned, runtime } = params;
  const { maxTopK } = runtime.backend.capabilities;
  let count = planned.topK;
  for (let round = 1; ; round += 1) {
    const hits = await planned.search(count);
    const current = await currentVersionOnly({ ...params, hits });
    const visible = params.collapse === 'document' ? oneHitPerDocument(current) : current;
    if (visible.length >= planned.topK || hits.length < count || count >= maxTopK || round === REFILL_ROUNDS) {
      return visible.slice(0, planned.topK);
    }
    count = Math.min(maxTopK, count * 4);
  }
}
