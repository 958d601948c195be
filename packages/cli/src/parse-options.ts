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
    values = parseArgs({ args: argv, options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    text: (name) => (typeof values[name] === 'string' ? (values[name] as string) : undefined),
    flag: (name) => values[name] === true,
    list: (name) => (Array.isArray(values[name]) ? (values[name] as string[]) : []),
  };
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
