import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError } from '@tenantvec/core';
import { RESULTS_FORMAT_VERSION, type BenchResults } from './bench-results.js';
import { markdownReport } from './markdown-report.js';
import { recallLatencyChart } from './recall-latency-chart.js';

export interface WrittenReports {
  json: string;
  markdown: string;
  chart: string;
}

/** Writes `results.json`, `results.md` and `recall-latency.svg` into `folder` (created if needed). */
export async function writeReports(results: BenchResults, folder: string): Promise<WrittenReports> {
  await mkdir(folder, { recursive: true });
  const written = { json: join(folder, 'results.json'), markdown: join(folder, 'results.md'), chart: join(folder, 'recall-latency.svg') };
  await writeFile(written.json, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(written.markdown, markdownReport(results));
  await writeFile(written.chart, recallLatencyChart(results));
  return written;
}

/** Reads results written by `writeReports`, refusing files of another format. */
export async function readResults(file: string): Promise<BenchResults> {
  let parsed: Partial<BenchResults>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<BenchResults>;
  } catch (cause) {
    throw new ConfigurationError(`Cannot read bench results ${file}: ${(cause as NodeJS.ErrnoException).code ?? 'not valid JSON'}.`, { cause });
  }
  if (parsed.tool !== 'tenantvec bench' || parsed.format !== RESULTS_FORMAT_VERSION || !Array.isArray(parsed.strategies)) {
    throw new ConfigurationError(`${file} is not a results.json of tenantvec bench (format ${RESULTS_FORMAT_VERSION}).`);
  }
  return parsed as BenchResults;
}
