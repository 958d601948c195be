import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ConfigurationError, customEmbedder, type Embedder } from '@tenantvec/core';

/**
 * Loads a model directory holding `vectors.txt` in the GloVe text format — one word per line
 * followed by its numbers — and embeds a text as the normalised mean of its words' vectors.
 * Any directory of real word vectors works (GloVe, fastText's .vec after its header line is
 * dropped); this is the shape of wrapping any local model with `customEmbedder`.
 */
export async function wordVectorEmbedder(modelDirectory: string): Promise<Embedder> {
  const file = join(modelDirectory, 'vectors.txt');
  await access(file).catch(() => {
    throw new ConfigurationError(`${modelDirectory} holds no vectors.txt (GloVe text format: a word and its numbers per line).`);
  });
  const words = new Map<string, Float64Array>();
  let dimension = 0;
  let lineNumber = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    lineNumber += 1;
    const [word, ...numbers] = line.trim().split(/\s+/);
    if (word === undefined || word === '' || numbers.length === 0) continue;
    dimension ||= numbers.length;
    const vector = Float64Array.from(numbers, Number);
    if (vector.length !== dimension || vector.some((value) => !Number.isFinite(value))) {
      throw new ConfigurationError(`${file} line ${lineNumber}: expected ${dimension} finite numbers after the word.`);
    }
    words.set(word.toLowerCase(), vector);
  }
  if (dimension === 0) throw new ConfigurationError(`${file} holds no vectors.`);

  const embedOne = (text: string): number[] => {
    const sum = new Float64Array(dimension);
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      const vector = words.get(word);
      if (vector !== undefined) vector.forEach((value, index) => (sum[index]! += value));
    }
    const norm = Math.hypot(...sum);
    // A text of unknown words still needs a direction for cosine: a fixed unit vector.
    return norm === 0 ? Array.from(sum, (_, index) => (index === 0 ? 1 : 0)) : Array.from(sum, (value) => value / norm);
  };
  return customEmbedder({ name: `word-vectors:${modelDirectory}`, dimension, embed: async (texts) => texts.map(embedOne) });
}
