import { parseSettings, type BackendDescription } from '@tenantvec/core/backend';
import { z } from 'zod';
import type { WeaviateClient } from 'weaviate-client';
import { retrySettingsSchema, type RetrySettings } from '@tenantvec/core/backend';
import { resolveConnection } from './weaviate-connection.js';

/** The toolkit's retry settings, and a bound on one whole call. */
export interface WeaviateRetrySettings extends RetrySettings {
  /**
   * Longest one backend call may take, every attempt and backoff included; past it the call fails
   * with a retryable `BackendError`. With the server down, weaviate-client spends about 20 s
   * reconnecting inside each attempt, so without this bound one call blocks for over a minute.
   * A call cut off here may still complete on the server: writes are by id, so retrying is safe.
   * Raise it for batches that take long on a loaded server.
   * @default 10000
   */
  maxTotalMs?: number;
}

export const DEFAULT_MAX_TOTAL_MS = 10_000;

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
  /** @default { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5000, maxTotalMs: 10000 } */
  retry?: WeaviateRetrySettings;
}

export type WeaviateBackendSettings = (WeaviateConnectionSettings | WeaviateClientSettings) & WeaviateBehaviourSettings;

/** Weaviate's default QUERY_MAXIMUM_RESULTS: the most objects one search or batch delete reaches. */
export const QUERY_MAXIMUM_RESULTS = 10_000;

const positive = z.number().int().min(1);
const port = z.number().int().min(1).max(65_535);

/** One line per setting, connection and behaviour alike; nested objects are strict too. */
export const weaviateSettingsSchema = z.strictObject({
  httpHost: z.string().min(1, 'must be a host name').optional(),
  httpPort: port.optional(),
  httpSecure: z.boolean().optional(),
  grpcHost: z.string().min(1, 'must be a host name').optional(),
  grpcPort: port.optional(),
  grpcSecure: z.boolean().optional(),
  apiKey: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeoutSeconds: z.strictObject({ init: positive.optional(), query: positive.optional(), insert: positive.optional() }).optional(),
  client: z.custom<WeaviateClientSettings['client']>((value) => typeof value === 'function' || (typeof value === 'object' && value !== null), { message: 'must be a WeaviateClient or a function returning one' }).optional(),
  maxBatchSize: positive.optional(),
  maxTopK: positive.max(QUERY_MAXIMUM_RESULTS).optional(),
  vectorIndexType: z.enum(['hnsw', 'flat', 'dynamic']).optional(),
  inactiveTenants: z.enum(['activate', 'error']).optional(),
  collectionWarningThreshold: positive.optional(),
  onWarning: z.custom<(message: string) => void>((value) => typeof value === 'function', { message: 'must be a function' }).optional(),
  retry: retrySettingsSchema.extend({ maxTotalMs: positive.optional() }).optional(),
}).refine((settings) => settings.client === undefined || (settings.httpHost === undefined && settings.grpcHost === undefined), {
  message: 'give either a client or connection settings, not both',
});

/** Settings may come from a config file: check what a type system would have, and no more. */
export function checkSettings(settings: WeaviateBackendSettings): void {
  parseSettings({ schema: weaviateSettingsSchema, settings, root: 'weaviate' });
}

/** Where the server is, for `describe()`: its REST address, never the API key. */
export function describeWeaviate(settings: WeaviateBackendSettings): BackendDescription {
  if (settings.client !== undefined) return { kind: 'weaviate', detail: 'a client handed in' };
  const { httpHost, httpPort, httpSecure } = resolveConnection(settings);
  return { kind: 'weaviate', url: `${httpSecure ? 'https' : 'http'}://${httpHost}:${httpPort}` };
}
