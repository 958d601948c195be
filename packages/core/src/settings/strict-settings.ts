import { z } from 'zod';
import { ConfigurationError, type TenantVecErrorOptions } from '../errors.js';

/** One thing wrong with a setting: where (keys from the settings' root) and what, never the value. */
export interface SettingsProblem {
  path: readonly (string | number)[];
  message: string;
}

/**
 * A `ConfigurationError` that keeps its problems apart from the message, so that a config loader
 * can name them from the config's root (`config.backend.connectionStrng`) instead of the adapter's.
 */
export class InvalidSettingsError extends ConfigurationError {
  readonly problems: readonly SettingsProblem[];

  constructor(root: string, problems: readonly SettingsProblem[], options?: TenantVecErrorOptions) {
    super(`Invalid ${root} settings: ${sentence(renderProblems(root, problems))}`, options);
    this.problems = problems;
  }
}

/** The problems of an error thrown by `parseSettings`, also across duplicated package copies. */
export function settingsProblemsOf(error: unknown): readonly SettingsProblem[] | undefined {
  const problems = (error as { problems?: unknown } | null)?.problems;
  return ConfigurationError.isInstance(error) && Array.isArray(problems) ? (problems as SettingsProblem[]) : undefined;
}

export function renderPath(root: string, path: readonly (string | number)[]): string {
  return `${root}${path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('')}`;
}

/** Ends a message with a full stop unless it already ends a sentence ("did you mean x?"). */
export function sentence(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

export function renderProblems(root: string, problems: readonly SettingsProblem[]): string {
  return problems.map(({ path, message }) => `${renderPath(root, path)}: ${message}`).join('; ');
}

/** Edits (insert, delete, substitute, swap two neighbours) between two words. */
export function editDistance(from: string, to: string): number {
  const rows = Array.from({ length: from.length + 1 }, (_, row) => Array.from({ length: to.length + 1 }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)));
  for (let row = 1; row <= from.length; row += 1) {
    for (let column = 1; column <= to.length; column += 1) {
      const cost = from[row - 1] === to[column - 1] ? 0 : 1;
      let best = Math.min(rows[row - 1]![column]! + 1, rows[row]![column - 1]! + 1, rows[row - 1]![column - 1]! + cost);
      if (row > 1 && column > 1 && from[row - 1] === to[column - 2] && from[row - 2] === to[column - 1]) best = Math.min(best, rows[row - 2]![column - 2]! + 1);
      rows[row]![column] = best;
    }
  }
  return rows[from.length]![to.length]!;
}

/** The known name a misspelt one most likely meant, when one is close enough to be a typo. */
export function closestName(given: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = name.toLowerCase() === given.toLowerCase() ? 0 : editDistance(given, name);
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  // A third of the word may be wrong, never more than three edits: beyond that it is another word.
  return best !== undefined && best.distance <= Math.min(3, Math.max(1, Math.floor(given.length / 3))) ? best.name : undefined;
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const inner = (current._zod.def as { innerType?: z.core.$ZodType }).innerType;
    if (inner === undefined) return current;
    current = inner;
  }
}

/** The keys an object schema knows at `path`, looking through optional, default and pipe wrappers. */
function knownKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  let current = unwrap(schema);
  for (const part of path) {
    const shape = (current._zod.def as { shape?: Record<string, z.core.$ZodType> }).shape;
    const next = shape?.[String(part)];
    if (next === undefined) return [];
    current = unwrap(next);
  }
  return Object.keys((current._zod.def as { shape?: Record<string, unknown> }).shape ?? {});
}

export interface ParseSettingsParams<Schema extends z.ZodType> {
  /** A strict object schema (`z.strictObject`), nested objects strict as well. */
  schema: Schema;
  settings: unknown;
  /** How problems are named: `pgvector` gives `pgvector.connectionStrng: unknown setting`. */
  root: string;
  /**
   * Keys that are not settings here but are of a sibling adapter, with what to do instead: a
   * PGlite folder given to the server backend is a mistake worth explaining, not just unknown.
   */
  elsewhere?: Readonly<Record<string, string>>;
}

/** Problems in words that never repeat a value: it may be a password or an API key. */
function problemsOf(error: z.ZodError, params: ParseSettingsParams<z.ZodType>): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((part) => (typeof part === 'number' ? part : String(part)));
    if (issue.code !== 'unrecognized_keys') {
      problems.push({ path, message: issue.message });
      continue;
    }
    const known = knownKeysAt(params.schema, issue.path);
    for (const key of issue.keys) {
      const instead = path.length === 0 ? params.elsewhere?.[key] : undefined;
      const suggestion = closestName(key, known);
      const message = instead ?? `unknown setting${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`;
      problems.push({ path: [...path, key], message });
    }
  }
  return problems;
}

/**
 * Checks settings against a strict schema before anything is opened or sent. An unknown key is
 * an error naming its path, with the nearest known name when it looks like a typo: a misspelt
 * connection setting must never fall back to some other database.
 */
export function parseSettings<Schema extends z.ZodType>(params: ParseSettingsParams<Schema>): z.output<Schema> {
  const parsed = params.schema.safeParse(params.settings ?? {});
  if (parsed.success) return parsed.data;
  throw new InvalidSettingsError(params.root, problemsOf(parsed.error, params));
}

/** A setting that holds a live object (a pool, a client): only its shape can be checked. */
export function objectWith<T>(description: string, methods: readonly string[]): z.ZodType<T> {
  return z.custom<T>(
    (value) => typeof value === 'object' && value !== null && methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function'),
    { message: `must be ${description}` },
  );
}
