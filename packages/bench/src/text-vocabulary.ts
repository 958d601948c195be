import type { SeededRandom } from './seeded-random.js';

// Pseudo-words, not English: the workload must not depend on a word list, and a planted
// keyword must be guaranteed absent from every ordinary text, which is easy to check when both
// are generated. Letters only, so core's analyser (`textTerms`) reads each as one term.
const consonants = 'bdfgklmnprstvz';
const vowels = 'aeiou';

function pseudoWord(random: SeededRandom, syllables: number): string {
  let word = '';
  for (let syllable = 0; syllable < syllables; syllable += 1) {
    word += consonants[random.integer(consonants.length)]! + vowels[random.integer(vowels.length)]!;
  }
  return word;
}

/**
 * Ordinary words, most frequent first, used Zipf-style (the word of rank r with weight 1/r) as
 * prose is: a few words in nearly every text, most in few. Two or three syllables.
 */
export interface Vocabulary {
  words: readonly string[];
  /** A word drawn by its Zipf weight. */
  draw(random: SeededRandom): string;
  /** `count` words drawn by weight. */
  filler(random: SeededRandom, count: number): string[];
}

export function vocabulary(random: SeededRandom, size = 2_000): Vocabulary {
  const words = new Set<string>();
  while (words.size < size) words.add(pseudoWord(random, 2 + random.integer(2)));
  const list = [...words];
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= list.length; rank += 1) cumulative.push((total += 1 / rank));
  const draw = (source: SeededRandom) => {
    const target = source.next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return list[low]!;
  };
  return { words: list, draw, filler: (source, count) => Array.from({ length: count }, () => draw(source)) };
}

/**
 * `count` distinct rare keywords, four syllables each, none of them an ordinary word: a planted
 * keyword then occurs in exactly the texts it was planted in.
 */
export function rareKeywords(random: SeededRandom, count: number, ordinary: Vocabulary): string[] {
  const taken = new Set(ordinary.words);
  const keywords: string[] = [];
  while (keywords.length < count) {
    const word = pseudoWord(random, 4);
    if (taken.has(word)) continue;
    taken.add(word);
    keywords.push(word);
  }
  return keywords;
}

/** `words` with `term` inserted `times` times at random places. */
export function plant(words: string[], term: string, times: number, random: SeededRandom): string[] {
  const planted = [...words];
  for (let time = 0; time < times; time += 1) planted.splice(random.integer(planted.length + 1), 0, term);
  return planted;
}
