import { InvalidArgumentError } from '../errors.js';

/** How `ingest` cuts a document's text into chunks. */
export interface SplitterSettings {
  /** Most tokens in one chunk, by the embedder's `countTokens` when it has one. @default 400 */
  chunkTokens?: number;
  /**
   * Tokens each chunk repeats from the end of the one before, so a passage cut at a boundary
   * is whole in at least one chunk. Less than `chunkTokens`. @default 50
   */
  overlapTokens?: number;
}

export const defaultSplitter = { chunkTokens: 400, overlapTokens: 50 } as const;

/**
 * Four characters per token: the usual rule of thumb for English with BPE tokenizers, used when
 * the embedder cannot count its own tokens. It errs towards smaller chunks for code and URLs.
 */
export function approximateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The settings with defaults filled in, or a typed error naming what is wrong (before any I/O). */
export function resolveSplitter(settings: unknown): Required<SplitterSettings> {
  if (settings === undefined) return { ...defaultSplitter };
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new InvalidArgumentError('splitter must be an object: { chunkTokens?, overlapTokens? }.');
  }
  const unknown = Object.keys(settings).filter((key) => key !== 'chunkTokens' && key !== 'overlapTokens');
  if (unknown.length > 0) throw new InvalidArgumentError(`splitter has unknown settings: ${unknown.join(', ')}.`);
  const { chunkTokens = defaultSplitter.chunkTokens, overlapTokens = defaultSplitter.overlapTokens } = settings as SplitterSettings;
  if (!Number.isInteger(chunkTokens) || chunkTokens < 1 || chunkTokens > 100_000) {
    throw new InvalidArgumentError('splitter.chunkTokens must be a whole number from 1 to 100000.');
  }
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens >= chunkTokens) {
    throw new InvalidArgumentError('splitter.overlapTokens must be a whole number from 0 to less than chunkTokens.');
  }
  return { chunkTokens, overlapTokens };
}

/** A word with the whitespace after it: the unit chunks are packed from. */
interface Piece {
  text: string;
  tokens: number;
  /** How good a place the end of this piece is to end a chunk: 2 paragraph, 1 sentence, 0 word. */
  boundary: number;
}

function piecesOf(text: string, chunkTokens: number, countTokens: (text: string) => number): Piece[] {
  const pieces: Piece[] = [];
  for (const match of text.matchAll(/\S+\s*/g)) {
    const word = match[0];
    const boundary = /\n\s*\n/.test(word) ? 2 : /[.!?。！？]["'”’)\]]*\s+$/u.test(word) ? 1 : 0;
    const tokens = countTokens(word);
    if (tokens <= chunkTokens) {
      pieces.push({ text: word, tokens, boundary });
      continue;
    }
    // A word longer than a whole chunk (a URL, a base64 blob) is cut by characters.
    const size = Math.max(1, Math.floor((word.length * chunkTokens) / tokens));
    for (let start = 0; start < word.length; start += size) {
      const part = word.slice(start, start + size);
      pieces.push({ text: part, tokens: Math.min(chunkTokens, countTokens(part)), boundary: start + size >= word.length ? boundary : 0 });
    }
  }
  return pieces;
}

/**
 * Cuts text into chunks of at most `chunkTokens`, ending each at the last paragraph or sentence
 * break in its second half when there is one (a word break otherwise), and starting each with up
 * to `overlapTokens` of the one before. Deterministic, so an unchanged text gives unchanged chunks
 * and re-ingesting it costs no embedding.
 */
export function splitText(params: { text: string; chunkTokens: number; overlapTokens: number; countTokens?: (text: string) => number }): string[] {
  const { chunkTokens, overlapTokens } = params;
  const pieces = piecesOf(params.text, chunkTokens, params.countTokens ?? approximateTokens);
  const chunks: string[] = [];
  let start = 0;
  while (start < pieces.length) {
    let end = start;
    let tokens = 0;
    while (end < pieces.length && tokens + pieces[end]!.tokens <= chunkTokens) tokens += pieces[end++]!.tokens;
    if (end < pieces.length) end = bestBreak(pieces, start, end, chunkTokens);
    chunks.push(pieces.slice(start, end).map((piece) => piece.text).join('').trim());
    if (end >= pieces.length) break;
    let next = end;
    let overlap = 0;
    while (next - 1 > start && overlap + pieces[next - 1]!.tokens <= overlapTokens) overlap += pieces[--next]!.tokens;
    start = next;
  }
  return chunks.filter((chunk) => chunk.length > 0);
}

/** The end (exclusive) of the chunk [start, end): its strongest break past half the budget. */
function bestBreak(pieces: readonly Piece[], start: number, end: number, chunkTokens: number): number {
  let best = end;
  let bestStrength = 0;
  let tokens = 0;
  for (let index = start; index < end; index += 1) {
    tokens += pieces[index]!.tokens;
    const strength = pieces[index]!.boundary;
    if (tokens * 2 >= chunkTokens && strength > 0 && strength >= bestStrength) {
      best = index + 1;
      bestStrength = strength;
    }
  }
  return best;
}
