import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command-io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedOptions {
  text(name: string): string | undefined;
  flag(name: string): boolean;
  /** A repeatable option's values, in order. */
  list(name: string): string[];
}

/**
 * Parses a command's options strictly: an unknown or malformed option is a usage error. Every
 * command also takes --json and --help.
 */
export function parseOptions(argv: string[], options: Options): ParsedOptions {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: joinNegativeNumbers(argv, options), options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    text: (name) => (typeof values[name] === 'string' ? (values[name] as string) : undefined),
    flag: (name) => values[name] === true,
    list: (name) => (Array.isArray(values[name]) ? (values[name] as string[]) : []),
  };
}

/**
 * `--tenants -5` reads to parseArgs as an option without its value; joined as `--tenants=-5` it
 * reaches the number check, which names the real problem.
 */
function joinNegativeNumbers(argv: string[], options: Options): string[] {
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    const next = argv[index + 1];
    const name = argument.startsWith('--') ? argument.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      joined.push(`${argument}=${next}`);
      index += 1;
    } else {
      joined.push(argument);
    }
  }
  return joined;
}

export function wholeNumber(value: string | undefined, name: string, minimum = 0): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value.replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isInteger(parsed) || parsed < minimum) throw new UsageError(`--${name} takes a whole number of at least ${minimum}, got ${JSON.stringify(value)}.`);
  return parsed;
}

export function oneOf<T extends string>(value: string | undefined, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} takes one of ${allowed.join(', ')}, got ${JSON.stringify(value)}.`);
  return value as T;
}

export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new UsageError(`--${name} is required.`);
  return value;
}
