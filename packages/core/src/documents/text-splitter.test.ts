import { describe, expect, it } from 'vitest';
import { approximateTokens, resolveSplitter, splitText } from './text-splitter.js';

const words = (count: number, word = 'word') => Array.from({ length: count }, () => word).join(' ');

describe('the default splitter', () => {
  it('keeps every chunk within the token budget and covers the whole text in order', () => {
    const text = Array.from({ length: 40 }, (_, n) => `Sentence number ${n} says something about topic ${n % 7}.`).join(' ');
    const chunks = splitText({ text, chunkTokens: 30, overlapTokens: 5 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(approximateTokens(chunk)).toBeLessThanOrEqual(30 + 2);
    for (let n = 0; n < 40; n += 1) expect(chunks.some((chunk) => chunk.includes(`Sentence number ${n} `))).toBe(true);
    expect(chunks[0]!.startsWith('Sentence number 0 ')).toBe(true);
    expect(chunks.at(-1)!.endsWith('topic 4.')).toBe(true);
  });

  it('ends chunks at a paragraph or sentence break in their second half rather than mid-sentence', () => {
    const text = `${words(30)}.\n\n${words(30)}. ${words(5)}`;
    const [first] = splitText({ text, chunkTokens: 60, overlapTokens: 0, countTokens: (piece) => piece.trim().split(/\s+/).length });
    expect(first!.endsWith('word.')).toBe(true);
    expect(first!.split(' ')).toHaveLength(30);
  });

  it('repeats the end of a chunk at the start of the next, up to the overlap', () => {
    const text = Array.from({ length: 100 }, (_, n) => `w${n}`).join(' ');
    const count = () => 1;
    const [first, second] = splitText({ text, chunkTokens: 20, overlapTokens: 5, countTokens: count });
    expect(first!.split(' ')).toHaveLength(20);
    expect(second!.split(' ').slice(0, 5)).toEqual(first!.split(' ').slice(15));
  });

  it('cuts a word longer than a chunk, counts with the embedder when it can, and is deterministic', () => {
    const blob = 'x'.repeat(1000);
    const chunks = splitText({ text: `start ${blob} end`, chunkTokens: 50, overlapTokens: 0 });
    expect(chunks.join('').replace(/\s/g, '')).toBe(`start${blob}end`);
    expect(chunks.every((chunk) => approximateTokens(chunk) <= 52)).toBe(true);
    const text = words(50);
    expect(splitText({ text, chunkTokens: 10, overlapTokens: 0, countTokens: () => 1 })).toHaveLength(5);
    expect(splitText({ text, chunkTokens: 10, overlapTokens: 2 })).toEqual(splitText({ text, chunkTokens: 10, overlapTokens: 2 }));
  });

  it('checks its settings strictly', () => {
    expect(resolveSplitter(undefined)).toEqual({ chunkTokens: 400, overlapTokens: 50 });
    expect(resolveSplitter({ chunkTokens: 100 })).toEqual({ chunkTokens: 100, overlapTokens: 50 });
    for (const bad of [{ chunkTokens: 0 }, { chunkTokens: 1.5 }, { overlapTokens: -1 }, { chunkTokens: 10, overlapTokens: 10 }, { size: 3 }, 'big', []]) {
      expect(() => resolveSplitter(bad), JSON.stringify(bad)).toThrow(/splitter/);
    }
  });
});
