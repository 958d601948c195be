import type { BenchResults } from './bench-results.js';
import { escapeXml, milliseconds } from './report-format.js';
import { searchModes, type SearchMode } from './search-mode-results.js';
import { sizeBuckets, type SizeBucketName } from './size-buckets.js';

const width = 760;
const height = 460;
const plot = { left: 70, top: 50, right: 560, bottom: 400 };
// Colour-blind-safe (Okabe–Ito), one per strategy in a fixed order so charts of two runs match.
const colours: Record<string, string> = {
  'collection-per-tenant': '#0072B2',
  'namespace-per-tenant': '#E69F00',
  'metadata-filter': '#009E73',
  'source-prefix': '#CC79A7',
};
const modeColours: Record<SearchMode, string> = { vector: '#56B4E9', keyword: '#D55E00', hybrid: '#000000' };

function marker(bucket: SizeBucketName, x: number, y: number, colour: string): string {
  const fill = `fill="${colour}" stroke="#222" stroke-width="0.8"`;
  if (bucket === 'small') return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="6" ${fill}/>`;
  if (bucket === 'medium') return `<rect x="${(x - 5.5).toFixed(1)}" y="${(y - 5.5).toFixed(1)}" width="11" height="11" ${fill}/>`;
  return `<polygon points="${x.toFixed(1)},${(y - 7).toFixed(1)} ${(x + 7).toFixed(1)},${(y + 6).toFixed(1)} ${(x - 7).toFixed(1)},${(y + 6).toFixed(1)}" ${fill}/>`;
}

/** Ticks at 1, 2 and 5 of every power of ten inside [low, high]. */
export function logTicks(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let power = Math.floor(Math.log10(low)); power <= Math.ceil(Math.log10(high)); power += 1) {
    for (const step of [1, 2, 5]) {
      const tick = step * 10 ** power;
      if (tick >= low && tick <= high) ticks.push(tick);
    }
  }
  return ticks;
}

interface ChartPoint {
  /** The legend entry whose colour the point takes. */
  series: string;
  bucket: SizeBucketName;
  p95: number;
  recall: number;
  tooltip: string;
}

/**
 * Recall@k (up is better) against p95 latency (left is better, log scale), one point per strategy
 * and tenant-size bucket: the best strategy for a bucket sits top left. A `--mode hybrid` run
 * gets the same chart with one point per strategy, bucket and query mode, coloured by mode.
 */
export function recallLatencyChart(results: BenchResults): string {
  const { settings } = results;
  const size = `${settings.backend}, ${settings.records.toLocaleString('en')} × ${settings.dimension}, ${settings.tenants.toLocaleString('en')} tenants`;
  if (settings.mode === 'hybrid') {
    const points = results.strategies.flatMap((result) => (result.searchModes?.buckets ?? []).flatMap((bucket) => searchModes.flatMap((mode) => {
      const measured = bucket.modes[mode];
      if (measured.status !== 'ok') return [];
      const p95 = Math.max(measured.latency.p95Ms, 0.001);
      return [{ series: mode, bucket: bucket.bucket, p95, recall: measured.recall, tooltip: `${result.strategy}, ${mode}, tenants ${bucket.label}: p95 ${milliseconds(p95)} ms, recall ${measured.recall.toFixed(3)}` }];
    })));
    const legend = searchModes.map((mode) => ({ name: mode, colour: modeColours[mode] }));
    return scatterChart({ title: `Recall@${settings.topK} of each query mode against p95 latency: ${size}`, topK: settings.topK, points, legendTitle: 'query mode', legend });
  }
  const points = results.strategies.flatMap((result) =>
    (result.queries?.buckets ?? []).map((bucket) => {
      const p95 = Math.max(bucket.latency.p95Ms, 0.001);
      return { series: result.strategy, bucket: bucket.bucket, p95, recall: bucket.recall, tooltip: `${result.strategy}, tenants ${bucket.label}: p95 ${milliseconds(p95)} ms, recall ${bucket.recall.toFixed(3)}` };
    }),
  );
  const legend = results.strategies.map((result) => ({ name: result.strategy, colour: colours[result.strategy] ?? '#555' }));
  return scatterChart({ title: `Recall@${settings.topK} against p95 latency: ${size}`, topK: settings.topK, points, legendTitle: 'strategy', legend });
}

function scatterChart(params: { title: string; topK: number; points: readonly ChartPoint[]; legendTitle: string; legend: readonly { name: string; colour: string }[] }): string {
  const { title, points, legend } = params;
  const colourOf = (series: string) => legend.find((entry) => entry.name === series)?.colour ?? '#555';
  const latencies = points.map((point) => point.p95);
  const low = latencies.length === 0 ? 0.1 : 10 ** Math.floor(Math.log10(Math.min(...latencies)));
  const high = latencies.length === 0 ? 100 : 10 ** Math.ceil(Math.log10(Math.max(...latencies) * 1.0001));
  const lowestRecall = Math.min(0.9, ...points.map((point) => point.recall));
  const recallFloor = Math.max(0, Math.floor(lowestRecall * 10) / 10);
  const x = (value: number) => plot.left + ((Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))) * (plot.right - plot.left);
  const y = (value: number) => plot.bottom - ((value - recallFloor) / (1 - recallFloor)) * (plot.bottom - plot.top);

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${plot.left}" y="28" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#888"/>`,
  ];
  for (const tick of logTicks(low, high)) {
    parts.push(`<line x1="${x(tick).toFixed(1)}" y1="${plot.top}" x2="${x(tick).toFixed(1)}" y2="${plot.bottom}" stroke="#eee"/>`);
    parts.push(`<text x="${x(tick).toFixed(1)}" y="${plot.bottom + 16}" text-anchor="middle">${escapeXml(milliseconds(tick))}</text>`);
  }
  for (let step = 0; step <= 5; step += 1) {
    const value = recallFloor + ((1 - recallFloor) * step) / 5;
    parts.push(`<line x1="${plot.left}" y1="${y(value).toFixed(1)}" x2="${plot.right}" y2="${y(value).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${plot.left - 8}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${value.toFixed(2)}</text>`);
  }
  parts.push(`<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 36}" text-anchor="middle">p95 query latency (ms, log scale) — left is faster</text>`);
  parts.push(`<text transform="translate(22 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle">recall@${params.topK} — up is better</text>`);
  for (const point of points) {
    parts.push(`<g>${marker(point.bucket, x(point.p95), y(point.recall), colourOf(point.series))}<title>${escapeXml(point.tooltip)}</title></g>`);
  }
  const legendX = plot.right + 24;
  parts.push(`<text x="${legendX}" y="${plot.top + 4}" font-weight="bold">${escapeXml(params.legendTitle)}</text>`);
  legend.forEach((entry, index) => {
    const rowY = plot.top + 24 + index * 20;
    parts.push(`<rect x="${legendX}" y="${rowY - 9}" width="12" height="12" fill="${entry.colour}"/>`);
    parts.push(`<text x="${legendX + 18}" y="${rowY + 1}">${escapeXml(entry.name)}</text>`);
  });
  const bucketTop = plot.top + 44 + legend.length * 20;
  parts.push(`<text x="${legendX}" y="${bucketTop}" font-weight="bold">tenant size</text>`);
  sizeBuckets.forEach((bucket, index) => {
    const rowY = bucketTop + 22 + index * 22;
    parts.push(marker(bucket.name, legendX + 6, rowY - 4, '#bbb'));
    parts.push(`<text x="${legendX + 18}" y="${rowY}">${escapeXml(`${bucket.label} records`)}</text>`);
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}
