/**
 * A tokenizer-free upper estimate of how many tokens the embedding models' tokenizer
 * (cl100k_base) makes of a text, used to keep requests inside the API's token limits.
 *
 * ASCII text averages about four characters per token, so a third of its characters
 * overestimates English by roughly a quarter. Other scripts take far more tokens per character
 * (Chinese and Japanese often one or more per character), so each non-ASCII UTF-16 unit counts
 * as a whole token — characters/3 alone would undercount them threefold. Callers who need exact
 * counts pass their own `countTokens` (for example from a tiktoken package).
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let position = 0; position < text.length; position += 1) {
    if (text.charCodeAt(position) < 0x80) ascii += 1;
    else other += 1;
  }
  return Math.ceil(ascii / 3) + other;
}
