import { createHash } from 'node:crypto';
import { EMBEDDER_CONTRACT_VERSION, type Embedder } from './embedder.js';

export interface LocalEmbedderSettings {
  /** @default 256 */
  dimension?: number;
}

function bucketOf(feature: string, dimension: number): { index: number; sign: number } {
  const digest = createHash('sha1').update(feature).digest();
  return { index: digest.readUInt32LE(0) % dimension, sign: (digest[4]! & 1) === 0 ? 1 : -1 };
}

/**
 * A deterministic, offline embedder: hashed word and character-trigram counts, L2-normalised.
 * It is lexical, not semantic — texts that share words score high, synonyms do not — which is
 * enough for quickstarts, tests and demos with no API key. Use a model-backed embedder for RAG.
 */
export function localEmbedder(settings: LocalEmbedderSettings = {}): Embedder {
  const dimension = settings.dimension ?? 256;
  const embedOne = (text: string): number[] => {
    const vector = new Array<number>(dimension).fill(0);
    const words = text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
    for (const word of words) {
      const features = [`w:${word}`];
      const padded = ` ${word} `;
      for (let start = 0; start + 3 <= padded.length; start += 1) features.push(`t:${padded.slice(start, start + 3)}`);
      for (const feature of features) {
        const { index, sign } = bucketOf(feature, dimension);
        vector[index]! += sign * (feature.startsWith('w:') ? 2 : 1);
      }
    }
    const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
    // An empty text still needs a direction for cosine: a fixed unit vector.
    if (norm === 0) return vector.map((_, index) => (index === 0 ? 1 : 0));
    return vector.map((value) => value / norm);
  };
  return {
    contractVersion: EMBEDDER_CONTRACT_VERSION,
    name: 'local',
    dimension,
    maxBatchSize: 2048,
    async embed({ texts }) {
      return { embeddings: texts.map(embedOne) };
    },
  };
}
