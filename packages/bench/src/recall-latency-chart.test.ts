import { describe, expect, it } from 'vitest';
import type { BenchResults } from './bench-results.js';
import { logTicks, recallLatencyChart } from './recall-latency-chart.js';
import { sampleResults } from './sample-results.test-support.js';

/** Well-formed XML, checked without a parser: every tag closes in order, every attribute is quoted. */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  const tags = xml.match(/<[^>]+>/g) ?? [];
  for (const tag of tags) {
    expect(tag).toMatch(/^<\/?[a-zA-Z][\w:-]*(\s+[\w:-]+="[^"<]*")*\s*\/?>$/);
    const name = /^<\/?([\w:-]+)/.exec(tag)![1]!;
    if (tag.startsWith('</')) expect(stack.pop()).toBe(name);
    else if (!tag.endsWith('/>')) stack.push(name);
  }
  expect(stack).toEqual([]);
  // Text between tags holds no raw markup characters.
  for (const text of xml.split(/<[^>]+>/)) expect(text).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|apos);)/);
}

describe('recallLatencyChart', () => {
  it('is a well-formed SVG with one point per strategy and bucket', () => {
    const svg = recallLatencyChart(sampleResults());
    assertWellFormed(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g><(circle|rect|polygon) /g)).toHaveLength(4);
    expect(svg).toContain('metadata-filter, tenants 1k–20k: p95 12.0 ms, recall 0.950');
  });

  it('escapes text that would break the markup', () => {
    const results: BenchResults = { ...sampleResults(), settings: { ...sampleResults().settings, backend: 'a<b & "c"' } };
    const svg = recallLatencyChart(results);
    assertWellFormed(svg);
    expect(svg).toContain('a&lt;b &amp; &quot;c&quot;');
  });

  it('puts log ticks at 1, 2 and 5 of each decade', () => {
    expect(logTicks(0.1, 100)).toEqual([0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]);
  });
});
