import { describe, expect, it } from 'vitest';
import { openaiEmbedder } from './openai-embedder.js';

// The only test that reaches OpenAI; it needs a real key and is skipped without one.
describe.skipIf(!process.env['OPENAI_API_KEY'])('openaiEmbedder against the real API', () => {
  it('embeds two short texts with text-embedding-3-small at 256 dimensions', async () => {
    const usage: number[] = [];
    const embedder = openaiEmbedder({ model: 'text-embedding-3-small', dimensions: 256, onUsage: ({ tokens }) => usage.push(tokens) });
    const result = await embedder.embed({ texts: ['The cat sat on the mat.', 'Quarterly revenue grew by four percent.'] });
    expect(result.embeddings).toHaveLength(2);
    for (const vector of result.embeddings) {
      expect(vector).toHaveLength(256);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 2);
    }
    expect(result.usage?.tokens).toBeGreaterThan(0);
    expect(usage).toEqual([result.usage!.tokens]);
  });
});
