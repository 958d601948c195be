import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embeddingBatches } from './embedding-batches.js';
import { estimateTokens } from './token-estimate.js';

describe('embeddingBatches', () => {
  it('keeps every text once, in order, within both limits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 60 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 20, max: 400 }),
        (texts, maxBatchSize, maxTokensPerRequest) => {
          const batches = embeddingBatches(texts, { maxBatchSize, maxTokensPerRequest, maxTokensPerInput: 20, countTokens: estimateTokens });
          expect(batches.flatMap((batch) => batch.texts)).toEqual(texts);
          let start = 0;
          for (const batch of batches) {
            expect(batch.start).toBe(start);
            expect(batch.texts.length).toBeGreaterThan(0);
            expect(batch.texts.length).toBeLessThanOrEqual(maxBatchSize);
            expect(batch.tokens).toBeLessThanOrEqual(maxTokensPerRequest);
            start += batch.texts.length;
          }
        },
      ),
    );
  });

  it('starts a new request only when the next text would not fit', () => {
    const limits = { maxBatchSize: 10, maxTokensPerRequest: 10, maxTokensPerInput: 10, countTokens: (text: string) => text.length };
    expect(embeddingBatches(['aaaa', 'bbbbbb', 'c', 'dddddddddd'], limits).map((batch) => batch.texts)).toEqual([['aaaa', 'bbbbbb'], ['c'], ['dddddddddd']]);
  });

  it('lists up to five bad texts by index, never quoting them', () => {
    const texts = ['', 'secret'.repeat(10), '', '', '', '', 3 as unknown as string];
    const limits = { maxBatchSize: 10, maxTokensPerRequest: 100, maxTokensPerInput: 5, countTokens: (text: string) => text.length };
    expect(() => embeddingBatches(texts, limits)).toThrow(/texts\[0\] is empty; texts\[1\] has about 60 tokens.*; and 2 more\./);
    expect(() => embeddingBatches(texts, limits)).not.toThrow(/secret/);
  });
});

describe('estimateTokens', () => {
  it('counts a third of ASCII characters and each other UTF-16 unit as a token', () => {
    expect(estimateTokens('a')).toBe(1);
    expect(estimateTokens('abcdef')).toBe(2);
    expect(estimateTokens('日本語')).toBe(3);
    expect(estimateTokens('😀')).toBe(2);
  });

  it('never estimates below the stand-in API\'s count (a quarter of the UTF-8 bytes), so tests see no surprise 400s', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
      expect(estimateTokens(text)).toBeGreaterThanOrEqual(Math.ceil(Buffer.byteLength(text) / 4));
    }));
  });
});
