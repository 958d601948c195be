export { openaiEmbedder } from './openai-embedder.js';
export type {
  EmbeddingsClient,
  EmbeddingsRequest,
  EmbeddingsRequestOptions,
  EmbeddingsResponse,
  EmbeddingUsage,
  OpenAIEmbedderSettings,
} from './openai-settings.js';
export { API_LIMITS, knownModels, type KnownEmbeddingModel } from './embedding-models.js';
export { estimateTokens } from './token-estimate.js';
