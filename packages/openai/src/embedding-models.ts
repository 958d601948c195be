/**
 * What the OpenAI embeddings API promises, in one place. Sources: the `openai` client's
 * `EmbeddingCreateParams.input` documentation (8192 tokens per input, 2048 inputs per request,
 * 300,000 tokens summed over a request) and the embeddings guide (native dimensions).
 */

export const API_LIMITS = Object.freeze({
  inputsPerRequest: 2048,
  tokensPerRequest: 300_000,
  tokensPerInput: 8192,
});

export type KnownEmbeddingModel = 'text-embedding-3-small' | 'text-embedding-3-large' | 'text-embedding-ada-002';

interface ModelFacts {
  /** Length of the vectors the model makes when `dimensions` is not sent. */
  nativeDimension: number;
  /** Whether the model can shorten its vectors through the `dimensions` request field. */
  acceptsDimensions: boolean;
}

export const knownModels: Readonly<Record<KnownEmbeddingModel, ModelFacts>> = Object.freeze({
  'text-embedding-3-small': { nativeDimension: 1536, acceptsDimensions: true },
  'text-embedding-3-large': { nativeDimension: 3072, acceptsDimensions: true },
  'text-embedding-ada-002': { nativeDimension: 1536, acceptsDimensions: false },
});

export function factsOf(model: string): ModelFacts | undefined {
  return Object.hasOwn(knownModels, model) ? knownModels[model as KnownEmbeddingModel] : undefined;
}
