import { InvalidArgumentError } from '@tenantvec/core';

export interface BatchLimits {
  maxBatchSize: number;
  maxTokensPerRequest: number;
  maxTokensPerInput: number;
  countTokens: (text: string) => number;
}

/** One API request's share of the texts: where it starts in the caller's list, and its texts. */
export interface EmbeddingBatch {
  start: number;
  texts: string[];
  tokens: number;
}

/**
 * Checks every text and splits them into requests the API accepts: at most `maxBatchSize`
 * inputs and `maxTokensPerRequest` (counted) tokens each, in the caller's order. Runs before
 * any I/O, so a bad text costs no request and no tokens. Messages name indexes, never texts.
 */
export function embeddingBatches(texts: readonly string[], limits: BatchLimits): EmbeddingBatch[] {
  const problems: string[] = [];
  const counts = texts.map((text, index) => {
    if (typeof text !== 'string') {
      problems.push(`texts[${index}] is not a string`);
      return 0;
    }
    // The API answers 400 for an empty input; refusing here says which one.
    if (text.length === 0) {
      problems.push(`texts[${index}] is empty`);
      return 0;
    }
    const tokens = limits.countTokens(text);
    if (tokens > limits.maxTokensPerInput) {
      problems.push(`texts[${index}] has about ${tokens} tokens, over the ${limits.maxTokensPerInput} one input may have (split it into chunks)`);
    }
    return tokens;
  });
  if (problems.length > 0) {
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
    throw new InvalidArgumentError(`Nothing was embedded: ${problems.slice(0, 5).join('; ')}${more}.`);
  }

  const batches: EmbeddingBatch[] = [];
  let current: EmbeddingBatch | undefined;
  texts.forEach((text, index) => {
    const tokens = counts[index]!;
    if (current === undefined || current.texts.length >= limits.maxBatchSize || current.tokens + tokens > limits.maxTokensPerRequest) {
      current = { start: index, texts: [], tokens: 0 };
      batches.push(current);
    }
    current.texts.push(text);
    current.tokens += tokens;
  });
  return batches;
}
