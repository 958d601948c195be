import type { Index, PineconeRecord } from '@pinecone-database/pinecone';
import { BackendError } from '@tenantvec/core/backend';
import type { PineconeFilter } from './filter-to-pinecone.js';
import type { Consistency } from './pinecone-settings.js';
import { statusOf, withRetries, type RetrySettings } from './retry.js';

/** Ids per fetch: the ids travel in the URL, and Pinecone takes at most 1,000. */
export const FETCH_CHUNK = 100;
/** Records per fetch-by-metadata page when counting and listing. */
export const PAGE = 1000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function isNotFound(error: unknown): boolean {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  return statusOf(cause) === 404;
}

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

  call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return withRetries(operation, this.retry, run);
  }

  async fetchVectors(open: { index: Index }, namespace: string, ids: readonly string[]): Promise<Map<string, PineconeRecord>> {
    const found = new Map<string, PineconeRecord>();
    const target = open.index.namespace(namespace);
    for (const chunk of chunks(ids, FETCH_CHUNK)) {
      try {
        const response = await this.call('fetch', () => target.fetch({ ids: chunk }));
        for (const [id, vector] of Object.entries(response.records)) found.set(id, vector);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return found;
  }

  /** Pinecone answers 404 for deletes in a namespace that was never written: nothing to delete. */
  async deleteIgnoringMissing(run: () => Promise<void>): Promise<void> {
    try {
      await this.call('delete', run);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** One page of fetch-by-metadata, ordered by id; a missing namespace reads as empty. */
  async pageOf(open: { index: Index }, namespace: string, filter: PineconeFilter, limit: number, token?: string) {
    try {
      const response = await this.call('fetch by metadata', () =>
        open.index.namespace(namespace).fetchByMetadata({ filter, limit, ...(token === undefined ? {} : { paginationToken: token }) }),
      );
      const records = Object.values(response.records).sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
      const next = response.pagination?.next;
      return { records, next: next === undefined || next === '' ? undefined : next };
    } catch (error) {
      if (isNotFound(error)) return { records: [] as PineconeRecord[], next: undefined };
      throw error;
    }
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
