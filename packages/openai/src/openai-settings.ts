import type { ClientOptions } from 'openai';
import type { KnownEmbeddingModel } from './embedding-models.js';

/** What one successful API request consumed, for metering tokens per tenant. */
export interface EmbeddingUsage {
  model: string;
  /** Tokens the API billed for the request (`usage.total_tokens`). */
  tokens: number;
  /** How many texts the request embedded. */
  texts: number;
}

/** Body of `POST /embeddings` as this package sends it. */
export interface EmbeddingsRequest {
  model: string;
  input: string[];
  dimensions?: number;
}

export interface EmbeddingsRequestOptions {
  signal?: AbortSignal;
  maxRetries?: number;
  timeout?: number;
}

/**
 * The response fields this package reads. An `embedding` may come as numbers, as the
 * `Float32Array` the official client decodes from base64, or as base64 itself.
 */
export interface EmbeddingsResponse {
  data: ReadonlyArray<{ index: number; embedding: ArrayLike<number> | string }>;
  usage?: { total_tokens?: number; prompt_tokens?: number };
}

/**
 * The part of an `OpenAI` client this package calls. Typed structurally rather than as the
 * `OpenAI` class so that a client from another major version of `openai`, or a wrapper that adds
 * tracing, is accepted as long as `embeddings.create` keeps its shape.
 */
export interface EmbeddingsClient {
  embeddings: {
    create(body: EmbeddingsRequest, options?: EmbeddingsRequestOptions): PromiseLike<EmbeddingsResponse>;
  };
}

interface CommonSettings {
  /**
   * Embedding model. Models this package does not know need `dimensions` (their output length).
   */
  model: KnownEmbeddingModel | (string & {});
  /**
   * Length of the vectors. text-embedding-3 models shorten their vectors to it (sent as the
   * request's `dimensions`); text-embedding-ada-002 does not accept it.
   * @default the model's native length: 1536 for text-embedding-3-small and
   * text-embedding-ada-002, 3072 for text-embedding-3-large
   */
  dimensions?: number;
  /** Most texts per API request (and per `embed` call the store makes). @default 2048 */
  maxBatchSize?: number;
  /**
   * Retries of a request that failed with 408, 409, 429, 5xx or a connection error, with
   * exponential backoff and jitter, honouring `retry-after`. Done by the openai client.
   * @default 2 (the openai client's default)
   */
  maxRetries?: number;
  /** Milliseconds to wait for one request before it fails (and may be retried). @default 600000 */
  timeout?: number;
  /**
   * Called once per successful API request with the tokens it was billed. It runs in the async
   * context of the `embed` call, so an `AsyncLocalStorage` set around a tenant's store call
   * tells which tenant spent them.
   */
  onUsage?: (usage: EmbeddingUsage) => void;
  /**
   * Counts a text's tokens, to keep requests inside the API's token limits.
   * @default an upper estimate: a third of the ASCII characters plus one per other UTF-16 unit
   */
  countTokens?: (text: string) => number;
  /** Largest token total of one request. @default 300000 */
  maxTokensPerRequest?: number;
  /** Largest single input, in tokens; longer texts are refused before any I/O. @default 8192 */
  maxTokensPerInput?: number;
}

interface ConnectionSettings {
  /**
   * Never echoed in errors.
   * @default process.env.OPENAI_API_KEY
   */
  apiKey?: string;
  /** @default process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1' */
  baseURL?: string;
  /** @default process.env.OPENAI_ORG_ID */
  organization?: string;
  /** A `fetch` to send requests with (proxies, tracing, tests). @default globalThis.fetch */
  fetch?: ClientOptions['fetch'];
  client?: never;
}

interface ClientSettings {
  /** A ready `OpenAI` client; its own key, base URL and organization are used. */
  client: EmbeddingsClient;
  apiKey?: never;
  baseURL?: never;
  organization?: never;
  fetch?: never;
}

/** Settings of `openaiEmbedder`: either connection settings or a ready `client`, not both. */
export type OpenAIEmbedderSettings = CommonSettings & (ConnectionSettings | ClientSettings);

export const settingNames = [
  'model',
  'dimensions',
  'maxBatchSize',
  'maxRetries',
  'timeout',
  'onUsage',
  'countTokens',
  'maxTokensPerRequest',
  'maxTokensPerInput',
  'apiKey',
  'baseURL',
  'organization',
  'fetch',
  'client',
] as const;
