import { describe, expect, it } from 'vitest';
import { localEmbedder } from './local-embedder.js';
import { similarity } from './similarity.js';

describe('localEmbedder', () => {
  it('is deterministic, unit length, and scores shared words above unrelated text', async () => {
    const embedder = localEmbedder({ dimension: 64 });
    const { embeddings } = await embedder.embed({ texts: ['revenue grew', 'revenue grew', 'quarterly revenue', 'holiday policy', ''] });
    const [first, again, related, unrelated, empty] = embeddings as [number[], number[], number[], number[], number[]];
    expect(first).toEqual(again);
    expect(Math.hypot(...first)).toBeCloseTo(1, 10);
    expect(Math.hypot(...empty)).toBeCloseTo(1, 10);
    expect(similarity('cosine', first, related)).toBeGreaterThan(similarity('cosine', first, unrelated));
  });
});
