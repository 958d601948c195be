import { EMBEDDER_CONTRACT_VERSION, type Embedder, type EmbeddingResult } from '@tenantvec/core';
import { backendErrorFromOpenAI } from './backend-error-from-openai.js';
import { embeddingBatches } from './embedding-batches.js';
import { tokensOfResponse, vectorsOfResponse } from './embedding-response.js';
import type { EmbeddingsResponse, OpenAIEmbedderSettings } from './openai-settings.js';
import { resolveSettings } from './resolve-openai-settings.js';

function throwIfAborted(signal: AbortSignal | undefined): void {
  // Re-throw the caller's own reason, so an abort reads as an abort and not as an API failure.
  if (signal?.aborted) throw signal.reason ?? new DOMException('The embedding was aborted.', 'AbortError');
}

/**
 * An `Embedder` on OpenAI's embeddings API through the official `openai` client. Splits texts
 * into requests within the API's input and token limits, refuses texts the API would reject
 * before sending anything, keeps input order, checks every vector's length, and reports tokens.
 *
 * Requests of one `embed` call go one after another: a tenant's large upsert then spends its
 * rate limit gradually instead of bursting, and a failure stops before more tokens are spent.
 *
 * @example
 * const embedder = openaiEmbedder({ model: 'text-embedding-3-small', dimensions: 512 });
 * const store = await createTenantVectorStore({ backend, strategy, dimension: 512, embedder });
 */
export function openaiEmbedder(settings: OpenAIEmbedderSettings): Embedder {
  const resolved = resolveSettings(settings);
  const { client, model, dimension, requestDimensions, requestOptions, onUsage, secrets } = resolved;
  const name = `openai:${model}`;

  async function embed({ texts, signal }: { texts: readonly string[]; signal?: AbortSignal }): Promise<EmbeddingResult> {
    const batches = embeddingBatches(texts, resolved);
    const embeddings: number[][] = [];
    let tokens: number | undefined;
    for (const [position, batch] of batches.entries()) {
      throwIfAborted(signal);
      let response: EmbeddingsResponse;
      try {
        response = await client.embeddings.create(
          { model, input: batch.texts, ...(requestDimensions === undefined ? {} : { dimensions: requestDimensions }) },
          { ...requestOptions, ...(signal === undefined ? {} : { signal }) },
        );
      } catch (error) {
        throwIfAborted(signal);
        const request = `embeddings request ${position + 1} of ${batches.length} (texts[${batch.start}..${batch.start + batch.texts.length - 1}])`;
        throw backendErrorFromOpenAI(error, { embedderName: name, secrets, texts: batch.texts, request });
      }
      // Metered before the vectors are checked: the API bills a request whatever its answer holds.
      const spent = tokensOfResponse(response);
      if (spent !== undefined) {
        tokens = (tokens ?? 0) + spent;
        onUsage?.({ model, tokens: spent, texts: batch.texts.length });
      }
      embeddings.push(...vectorsOfResponse(response, { inputs: batch.texts.length, dimension, embedderName: name }));
    }
    return tokens === undefined ? { embeddings } : { embeddings, usage: { tokens } };
  }

  return Object.freeze({
    contractVersion: EMBEDDER_CONTRACT_VERSION,
    name,
    dimension,
    maxBatchSize: resolved.maxBatchSize,
    embed,
  });
}
