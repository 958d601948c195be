import type { QdrantClient } from '@qdrant/js-client-rest';
import { objectWith, parseSettings, type BackendDescription } from '@tenantvec/core/backend';
import { z } from 'zod';
import { retrySettingsSchema, type RetrySettings } from '@tenantvec/core/backend';

/** Where the server is: connection settings, or a client you built yourself. */
export type QdrantConnection =
  | {
    /** Base URL of the REST API. @default process.env.QDRANT_URL, else 'http://localhost:6333' */
    url?: string;
    /** API key, sent as the `api-key` header. @default process.env.QDRANT_API_KEY */
    apiKey?: string;
    /**
     * Asks the server's version once (`GET /`) and warns when the client and server are more than
     * one minor version apart.
     * @default true
     */
    checkCompatibility?: boolean;
    client?: never;
  }
  | { client: QdrantClient; url?: never; apiKey?: never; checkCompatibility?: never };

export interface QdrantOptions {
  /** Longest wait for one request, in milliseconds, before it is abandoned (and retried). @default 30000 */
  timeoutMs?: number;
  /** Backoff for 429, 5xx, timeouts and connection resets. @default { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5000 } */
  retry?: RetrySettings;
  /** Most points per upsert request; the store splits larger batches. @default 256 */
  maxBatchSize?: number;
  /**
   * Largest upsert body, in bytes: Qdrant's `service.max_request_size_mb` (32 MiB by default).
   * A batch over it is refused before it is sent.
   * @default 33554432
   */
  maxRequestBytes?: number;
  /** Largest `topK` one query may ask for. @default 1000 */
  maxTopK?: number;
  /**
   * Builds HNSW links per tenant only (`hnsw_config: { payload_m: 16, m: 0 }`) in shared
   * collections: each tenant's graph stays small and exact-ish, unscoped queries get slow.
   * Applies to collections created after it is set.
   * @default false
   */
  perTenantGraphs?: boolean;
  /** Searches exactly (`params.exact`), ignoring the HNSW index: slower, recall 1. @default false */
  exactSearch?: boolean;
  /** Warn (once per backend) when the server holds more collections than this after a tenant's collection is created. @default 500 */
  collectionWarningThreshold?: number;
  /** Receives warnings (the collection count). @default console.warn */
  onWarning?: (message: string) => void;
  /** Distinct values fetched per facet request when listing tenants. @default 10000 */
  facetPageSize?: number;
}

export type QdrantBackendSettings = QdrantConnection & QdrantOptions;

const positive = z.number().int().min(1);

/** One line per setting; nested objects are strict too, so a misspelt retry field fails as well. */
export const qdrantSettingsSchema = z.strictObject({
  url: z.string().regex(/^https?:\/\//, 'must be a URL starting with http:// or https://').optional(),
  apiKey: z.string().min(1, 'must be a non-empty string').optional(),
  checkCompatibility: z.boolean().optional(),
  client: objectWith<QdrantClient>('a QdrantClient', ['query']).optional(),
  timeoutMs: positive.optional(),
  retry: retrySettingsSchema.optional(),
  maxBatchSize: positive.optional(),
  maxRequestBytes: positive.optional(),
  maxTopK: positive.optional(),
  perTenantGraphs: z.boolean().optional(),
  exactSearch: z.boolean().optional(),
  collectionWarningThreshold: positive.optional(),
  onWarning: z.custom<(message: string) => void>((value) => typeof value === 'function', { message: 'must be a function' }).optional(),
  facetPageSize: positive.optional(),
}).refine((settings) => settings.client === undefined || [settings.url, settings.apiKey, settings.checkCompatibility].every((value) => value === undefined), {
  message: 'client cannot be combined with url, apiKey or checkCompatibility',
});

/**
 * Settings may come from a plain config file, so they are checked here: each problem names the
 * setting and what it must be, never the value given (it may be a secret such as an API key).
 */
export function parseQdrantSettings(settings: unknown): QdrantBackendSettings {
  return parseSettings({ schema: qdrantSettingsSchema, settings, root: 'qdrant' }) as QdrantBackendSettings;
}

/** The server's URL without credentials, for `describe()`. */
export function describeQdrant(settings: QdrantBackendSettings): BackendDescription {
  if (settings.client !== undefined) return { kind: 'qdrant', detail: 'a client handed in' };
  const url = new URL(settings.url ?? process.env['QDRANT_URL'] ?? 'http://localhost:6333');
  url.username = '';
  url.password = '';
  url.search = '';
  return { kind: 'qdrant', url: url.toString().replace(/\/$/, '') };
}
