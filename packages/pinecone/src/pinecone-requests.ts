import type { Index, PineconeRecord } from '@pinecone-database/pinecone';
import { BackendError } from '@tenantvec/core';
import { compareIds, emptyWhenMissing, withRetries, type RetrySettings } from '@tenantvec/core/backend';
import type { PineconeFilter } from './filter-to-pinecone.js';
import type { Consistency } from './pinecone-settings.js';
import { classifyPineconeError, isNotFound, toBackendError } from './pinecone-errors.js';

/** Ids per fetch: the ids travel in the URL, and Pinecone takes at most 1,000. */
export const FETCH_CHUNK = 100;
/** Records per fetch-by-metadata page when counting and listing. */
export const PAGE = 1000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * The requests every part of the adapter shares: retried calls, paged reads that treat a
 * missing namespace as empty, and the read-your-writes wait.
 */
export class PineconeRequests {
  constructor(
    private readonly retry: RetrySettings,
    private readonly consistency: Consistency,
    private readonly freshnessTimeoutMs: number,
  ) {}

  async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await withRetries({ run, classify: classifyPineconeError, settings: this.retry });
    } catch (error) {
      throw toBackendError(error, operation);
    }
  }

  /** A call for which a missing index or namespace (404) means "nothing there". */
  orEmpty<T, Empty>(operation: string, run: () => Promise<T>, empty: Empty): Promise<T | Empty> {
    return emptyWhenMissing({ run: () => this.call(operation, run), isMissing: isNotFound, empty });
  }

  async fetchVectors(open: { index: Index }, namespace: string, ids: readonly string[]): Promise<Map<string, PineconeRecord>> {
    const found = new Map<string, PineconeRecord>();
    const target = open.index.namespace(namespace);
    for (const chunk of chunks(ids, FETCH_CHUNK)) {
      const response = await this.orEmpty('fetch', () => target.fetch({ ids: chunk }), undefined);
      for (const [id, vector] of Object.entries(response?.records ?? {})) found.set(id, vector);
    }
    return found;
  }

  /** Pinecone answers 404 for deletes in a namespace that was never written: nothing to delete. */
  async deleteIgnoringMissing(run: () => Promise<void>): Promise<void> {
    await this.orEmpty('delete', run, undefined);
  }

  /** One page of fetch-by-metadata, ordered by id; a missing namespace reads as empty. */
  async pageOf(open: { index: Index }, namespace: string, filter: PineconeFilter, limit: number, token?: string): Promise<{ records: PineconeRecord[]; next: string | undefined }> {
    const response = await this.orEmpty('fetch by metadata', () =>
      open.index.namespace(namespace).fetchByMetadata({ filter, limit, ...(token === undefined ? {} : { paginationToken: token }) }), undefined);
    if (response === undefined) return { records: [], next: undefined };
    const records = Object.values(response.records).sort((left, right) => compareIds(left.id, right.id));
    const next = response.pagination?.next;
    return { records, next: next === undefined || next === '' ? undefined : next };
  }

  /** With read-your-writes, polls until a write shows, with growing pauses, up to the timeout. */
  async waitUntil(what: string, visible: () => Promise<boolean>): Promise<void> {
    if (this.consistency === 'eventual') return;
    const deadline = Date.now() + this.freshnessTimeoutMs;
    let pause = 20;
    while (!(await visible())) {
      if (Date.now() >= deadline) {
        throw new BackendError(`Pinecone did not show the ${what} within ${this.freshnessTimeoutMs} ms; it may still appear.`, { retryable: true });
      }
      await sleep(pause);
      pause = Math.min(1000, pause * 2);
    }
  }
}
