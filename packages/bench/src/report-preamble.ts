import type { BenchResults } from './bench-results.js';
import { whole } from './report-format.js';

/** The lines every Markdown report shares: the tenants by size, the machine, the command, the verdict. */

/** How the workload's tenants are spread over the size buckets; `noun` is what they hold (records, documents). */
export function tenantSizesLine(results: BenchResults, noun: string): string {
  const { workload } = results;
  return `${workload.description}. Tenants hold ${whole(workload.smallestTenant)} to ${whole(workload.largestTenant)} ${noun}: ` +
    workload.buckets.map((bucket) => `${bucket.label}: ${whole(bucket.tenants)} tenants, ${whole(bucket.records)} ${noun}`).join('; ') + '.';
}

/** The machine and the command line, then whether the run kept its promises (`passed` says which). */
export function machineAndVerdictLines(results: BenchResults, passed: string): string[] {
  const { machine } = results;
  return [
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.platform}${machine.backendVersion === undefined ? '' : `; ${machine.backendVersion}`}.`,
    ...(results.command === undefined ? [] : ['', `Command: \`${results.command}\``]),
    '',
    results.passed ? `**Passed**: ${passed}` : `**FAILED**:\n\n${results.problems.map((problem) => `- ${problem}`).join('\n')}`,
  ];
}
