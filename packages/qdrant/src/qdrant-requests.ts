import { emptyWhenMissing, withRetries, type RetrySettings } from '@tenantvec/core/backend';
import { classifyQdrantError, isMissingLocation, toBackendError } from './qdrant-errors.js';

/** Every request the adapter sends goes through here: retried, and failures made `BackendError`s. */
export class QdrantRequests {
  constructor(private readonly retry: RetrySettings | undefined) {}

  async call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await withRetries({ run: request, classify: classifyQdrantError, ...(this.retry === undefined ? {} : { settings: this.retry }) });
    } catch (error) {
      throw toBackendError(operation, error);
    }
  }

  /** A request whose missing collection or shard key means "nothing there". */
  orEmpty<T, Empty>(operation: string, request: () => Promise<T>, empty: Empty): Promise<T | Empty> {
    return emptyWhenMissing({ run: () => this.call(operation, request), isMissing: isMissingLocation, empty });
  }
}
