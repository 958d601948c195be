import { ConfigurationError } from '@tenantvec/core';
import type { WeaviateClient } from 'weaviate-client';
import type { RetrySettings } from './retry.js';

/** Where the Weaviate server is; every field falls back to an environment variable. */
export interface WeaviateConnectionSettings {
  /** REST host. @default host of `WEAVIATE_URL`, else `localhost` */
  httpHost?: string;
  /** @default port of `WEAVIATE_URL`, else 8080 */
  httpPort?: number;
  /** @default true when `WEAVIATE_URL` is https */
  httpSecure?: boolean;
  /** gRPC host. @default host of `WEAVIATE_GRPC_URL`, else `httpHost` */
  grpcHost?: string;
  /** @default port of `WEAVIATE_GRPC_URL`, else 50051 */
  grpcPort?: number;
  /** @default `httpSecure` */
  grpcSecure?: boolean;
  /** @default `WEAVIATE_API_KEY` */
  apiKey?: string;
  /** Extra headers on every request (for example vectorizer module keys). */
  headers?: Record<string, string>;
  /** Per-request timeouts, in seconds. @default { init: 5, query: 30, insert: 90 } */
  timeoutSeconds?: { init?: number; query?: number; insert?: number };
  client?: never;
}

/** A client the caller made and owns: `close()` leaves it open. */
export interface WeaviateClientSettings {
  client: WeaviateClient | (() => Promise<WeaviateClient>);
}

export interface WeaviateBehaviourSettings {
  /**
   * Most objects per batch request. Weaviate itself caps a gRPC message at 100 MB.
   * @default 1000
   */
  maxBatchSize?: number;
  /** Largest `topK`; Weaviate's QUERY_MAXIMUM_RESULTS. @default 10000 */
  maxTopK?: number;
  /**
   * Vector index of new collections. `flat` is exact brute force (fine for small tenants);
   * `hnsw` is approximate but Weaviate switches to a flat scan below `flatSearchCutoff`
   * filtered matches; `dynamic` starts flat and moves to HNSW (needs ASYNC_INDEXING).
   * @default 'hnsw'
   */
  vectorIndexType?: 'hnsw' | 'flat' | 'dynamic';
  /**
   * What to do when a native tenant is INACTIVE or OFFLOADED: `activate` sets it ACTIVE and
   * retries once; `error` fails with a BackendError that says so.
   * @default 'activate'
   */
  inactiveTenants?: 'activate' | 'error';
  /**
   * Warn once the database holds more collections than this (collection-per-tenant): Weaviate's
   * MAXIMUM_ALLOWED_COLLECTIONS_COUNT defaults to 1000 and its docs steer to multi-tenancy
   * well before.
   * @default 1000
   */
  collectionWarningThreshold?: number;
  /** Receives warnings. @default console.warn */
  onWarning?: (message: string) => void;
  retry?: RetrySettings;
}

export type WeaviateBackendSettings = (WeaviateConnectionSettings | WeaviateClientSettings) & WeaviateBehaviourSettings;

/** Weaviate's default QUERY_MAXIMUM_RESULTS: the most objects one search or batch delete reaches. */
export const QUERY_MAXIMUM_RESULTS = 10_000;

/** Settings may come from a config file: check what a type system would have. */
export function checkSettings(settings: WeaviateBackendSettings): void {
  const positive = (value: unknown, name: string, maximum = Number.MAX_SAFE_INTEGER) => {
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < 1 || (value as number) > maximum)) {
      throw new ConfigurationError(`weaviate: ${name} must be a whole number from 1 to ${maximum}.`);
    }
  };
  positive(settings.maxBatchSize, 'maxBatchSize');
  positive(settings.maxTopK, 'maxTopK', QUERY_MAXIMUM_RESULTS);
  positive(settings.collectionWarningThreshold, 'collectionWarningThreshold');
  positive(settings.retry?.maxTotalMs, 'retry.maxTotalMs');
  if (settings.vectorIndexType !== undefined && !['hnsw', 'flat', 'dynamic'].includes(settings.vectorIndexType)) {
    throw new ConfigurationError(`weaviate: vectorIndexType must be hnsw, flat or dynamic.`);
  }
  if (settings.inactiveTenants !== undefined && !['activate', 'error'].includes(settings.inactiveTenants)) {
    throw new ConfigurationError(`weaviate: inactiveTenants must be activate or error.`);
  }
  if (settings.client !== undefined && ('httpHost' in settings || 'grpcHost' in settings)) {
    throw new ConfigurationError('weaviate: give either a client or connection settings, not both.');
  }
}
