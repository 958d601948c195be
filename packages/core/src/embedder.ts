export const EMBEDDER_CONTRACT_VERSION = 1 as const;

export interface EmbeddingResult {
  embeddings: number[][];
  /** Tokens consumed, when the provider reports them (for per-tenant metering). */
  usage?: { tokens: number };
}

/** Turns texts into vectors. Used by `upsert` and `query` for records given as text only. */
export interface Embedder {
  readonly contractVersion: typeof EMBEDDER_CONTRACT_VERSION;
  readonly name: string;
  readonly dimension: number;
  /** Most texts one `embed` call accepts; the store splits larger batches. */
  readonly maxBatchSize: number;
  embed(params: { texts: readonly string[]; signal?: AbortSignal }): Promise<EmbeddingResult>;
  /** Tokens in a text by the model's own tokenizer; `ingest` cuts chunks by it when given. */
  countTokens?(text: string): number;
}
