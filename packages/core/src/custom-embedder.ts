import { EMBEDDER_CONTRACT_VERSION, type Embedder, type EmbeddingResult } from './embedder.js';
import { ConfigurationError } from './errors.js';

export interface CustomEmbedderSettings {
  /** Length of the vectors `embed` returns; checked on every call by the store. */
  dimension: number;
  /** Turns texts into vectors, in order; may also report tokens used. */
  embed: (texts: readonly string[], signal?: AbortSignal) => Promise<number[][] | EmbeddingResult>;
  /** @default 'custom' */
  name?: string;
  /** Most texts per call; the store splits larger batches. @default 256 */
  maxBatchSize?: number;
}

/**
 * Wraps any embedding function — a local model, another provider's SDK — as an `Embedder`.
 * The store checks count and dimension of what it returns, so a wrong model fails loudly.
 */
export function customEmbedder(settings: CustomEmbedderSettings): Embedder {
  if (typeof settings?.embed !== 'function') throw new ConfigurationError('customEmbedder needs an embed function.');
  if (!Number.isInteger(settings.dimension) || settings.dimension < 1) throw new ConfigurationError('customEmbedder needs a positive whole dimension.');
  const maxBatchSize = settings.maxBatchSize ?? 256;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) throw new ConfigurationError('customEmbedder maxBatchSize must be a positive whole number.');
  return {
    contractVersion: EMBEDDER_CONTRACT_VERSION,
    name: settings.name ?? 'custom',
    dimension: settings.dimension,
    maxBatchSize,
    async embed({ texts, signal }) {
      const result = await settings.embed(texts, signal);
      return Array.isArray(result) ? { embeddings: result } : result;
    },
  };
}
