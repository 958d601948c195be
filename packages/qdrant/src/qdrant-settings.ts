import type { QdrantClient } from '@qdrant/js-client-rest';
import type { RetrySettings } from './retry.js';

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
  /** Backoff for 429, 5xx, timeouts and connection resets. */
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

type Check = (value: unknown) => boolean;
const positiveInteger: Check = (value) => Number.isInteger(value) && (value as number) > 0;
const boolean: Check = (value) => typeof value === 'boolean';
const string: Check = (value) => typeof value === 'string' && value.length > 0;

const checks: Record<string, [Check, string]> = {
  url: [(value) => typeof value === 'string' && /^https?:\/\//.test(value), 'a URL starting with http:// or https://'],
  apiKey: [string, 'a non-empty string'],
  checkCompatibility: [boolean, 'a boolean'],
  client: [(value) => typeof value === 'object' && value !== null && typeof (value as { query?: unknown }).query === 'function', 'a QdrantClient'],
  timeoutMs: [positiveInteger, 'a positive whole number'],
  retry: [(value) => typeof value === 'object' && value !== null && Object.entries(value).every(([key, item]) =>
    ['maxAttempts', 'baseDelayMs', 'maxDelayMs'].includes(key) && (Number.isInteger(item) && (item as number) >= (key === 'maxAttempts' ? 1 : 0))), '{ maxAttempts?, baseDelayMs?, maxDelayMs? } of whole numbers'],
  maxBatchSize: [positiveInteger, 'a positive whole number'],
  maxRequestBytes: [positiveInteger, 'a positive whole number'],
  maxTopK: [positiveInteger, 'a positive whole number'],
  perTenantGraphs: [boolean, 'a boolean'],
  exactSearch: [boolean, 'a boolean'],
  collectionWarningThreshold: [positiveInteger, 'a positive whole number'],
  onWarning: [(value) => typeof value === 'function', 'a function'],
  facetPageSize: [positiveInteger, 'a positive whole number'],
};

/**
 * Settings may come from a plain config file, so they are checked here: each problem names the
 * setting and what it must be, never the value given (it may be a secret such as an API key).
 */
export function settingsProblems(settings: unknown): string[] {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return ['settings must be an object'];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    const check = checks[key];
    if (check === undefined) problems.push(`unknown setting ${JSON.stringify(key)}`);
    else if (!check[0](value)) problems.push(`${key} must be ${check[1]}`);
  }
  const given = settings as Record<string, unknown>;
  if (given.client !== undefined && ['url', 'apiKey', 'checkCompatibility'].some((key) => given[key] !== undefined)) {
    problems.push('client cannot be combined with url, apiKey or checkCompatibility');
  }
  return problems;
}
