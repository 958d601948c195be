import { BackendError, DimensionMismatchError } from '@tenantvec/core';
import type { EmbeddingsResponse } from './openai-settings.js';

/** Little-endian float32s, the API's `encoding_format: 'base64'` layout. */
function decodeBase64(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  const values: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) values.push(bytes.readFloatLE(offset));
  return values;
}

/**
 * The vectors of one response in input order, as plain arrays. The API says which input each
 * embedding belongs to by `index` rather than promising list order, so they are placed by it.
 */
export function vectorsOfResponse(response: EmbeddingsResponse, params: { inputs: number; dimension: number; embedderName: string }): number[][] {
  const { inputs, dimension, embedderName } = params;
  const data = response?.data;
  if (!Array.isArray(data) || data.length !== inputs) {
    throw new BackendError(`${embedderName}: the API returned ${Array.isArray(data) ? data.length : 'no'} embeddings for ${inputs} texts.`);
  }
  const vectors = new Array<number[] | undefined>(inputs);
  for (const item of data as EmbeddingsResponse['data']) {
    const { index, embedding } = item;
    if (!Number.isInteger(index) || index < 0 || index >= inputs || vectors[index] !== undefined) {
      throw new BackendError(`${embedderName}: the API returned an embedding with a missing, repeated or out-of-range index (${String(index)}).`);
    }
    // The official client decodes base64 into a Float32Array; plain arrays are what callers store.
    const vector = typeof embedding === 'string' ? decodeBase64(embedding) : Array.from(embedding ?? []);
    if (vector.length !== dimension) {
      throw new DimensionMismatchError(`${embedderName} returned a ${vector.length}-dimensional vector for texts[${index}] of the request; expected ${dimension}.`);
    }
    if (!vector.every(Number.isFinite)) throw new BackendError(`${embedderName}: the API returned a vector with non-finite values.`);
    vectors[index] = vector;
  }
  return vectors as number[][];
}

/** Tokens billed for a response; compatible servers may leave usage out. */
export function tokensOfResponse(response: EmbeddingsResponse): number | undefined {
  const tokens = response.usage?.total_tokens ?? response.usage?.prompt_tokens;
  return typeof tokens === 'number' && Number.isFinite(tokens) ? tokens : undefined;
}
