import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { ConfigurationError, EMBEDDER_CONTRACT_VERSION, type Embedder } from '@tenantvec/core';

export interface LangchainEmbedderSettings {
  /** The model's vector length; the store checks every vector against it. */
  dimension: number;
  /** Texts per `embedDocuments` call. @default 512 */
  maxBatchSize?: number;
  /** For audit and metering. @default 'langchain' */
  name?: string;
}

/**
 * A LangChain embeddings model as the store's embedder, so `ingest` can embed only the chunks
 * of documents that changed (a bridge that embedded first could not skip unchanged ones).
 */
export function langchainEmbedder(embeddings: EmbeddingsInterface, settings: LangchainEmbedderSettings): Embedder {
  if (typeof embeddings?.embedDocuments !== 'function') throw new ConfigurationError('langchainEmbedder needs a LangChain Embeddings instance.');
  const { dimension, maxBatchSize = 512, name = 'langchain' } = settings ?? {};
  if (!Number.isInteger(dimension) || dimension < 1) throw new ConfigurationError('langchainEmbedder dimension must be a positive whole number.');
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) throw new ConfigurationError('langchainEmbedder maxBatchSize must be a positive whole number.');
  return {
    contractVersion: EMBEDDER_CONTRACT_VERSION,
    name,
    dimension,
    maxBatchSize,
    async embed({ texts }) {
      return { embeddings: await embeddings.embedDocuments([...texts]) };
    },
  };
}
