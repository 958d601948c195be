/**
 * Splits a document into passages of at most `maxWords` words, on paragraph breaks first, so
 * an answer can quote one focused passage instead of a whole file.
 */
export function chunkText(text: string, maxWords = 80): string[] {
  const chunks: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const words = paragraph.split(/\s+/).filter((word) => word.length > 0);
    for (let start = 0; start < words.length; start += maxWords) chunks.push(words.slice(start, start + maxWords).join(' '));
  }
  return chunks;
}
