/**
 * Weaviate's text tokenizers (weaviate/weaviate entities/tokenizer/tokenizer.go, at adcffc54),
 * for filters and BM25 alike. `word` splits on every rune that is neither a letter nor a number
 * (Go's unicode.IsLetter / IsNumber, the same classes as \p{L} / \p{N}) and lowercases each
 * word with Go's strings.ToLower, which maps one rune at a time: no final-sigma rule (`Σ` is
 * always `σ`) and `İ` becomes a plain `i`, where JavaScript's toLowerCase differs on both.
 * Nothing is normalised (no NFKC) and no word is shortened.
 */

/** Go's strings.ToLower: rune by rune, without JavaScript's context-dependent mappings. */
export function goLowercase(text: string): string {
  let lowered = '';
  for (const character of text) lowered += character === '\u0130' ? 'i' : character.toLowerCase();
  return lowered;
}

export function tokenize(value: string, tokenization: string | undefined): string[] {
  if (tokenization === 'field') return [value.trim()];
  if (tokenization === 'whitespace') return value.split(/\s+/u).filter(Boolean);
  if (tokenization === 'lowercase') return value.split(/\s+/u).filter(Boolean).map(goLowercase);
  return (value.match(/[\p{L}\p{N}]+/gu) ?? []).map(goLowercase);
}
