import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigurationError } from '../errors.js';

/**
 * Reads a store config from a `.json`, `.yaml` or `.yml` file. `${ENV}` references stay as they
 * are until the store is created, so a config read for inspection never holds a secret.
 */
export async function readStoreConfig(path: string): Promise<unknown> {
  const extension = extname(path).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(extension)) {
    throw new ConfigurationError(`Config file ${path} must end in .json, .yaml or .yml.`);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigurationError(`Cannot read config file ${path}: ${(cause as NodeJS.ErrnoException).code ?? 'unknown error'}.`, { cause });
  }
  try {
    return extension === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    // Parser messages quote the text around the error, which may be a secret: say where only.
    throw new ConfigurationError(`Config file ${path} is not valid ${extension === '.json' ? 'JSON' : 'YAML'}${whereItFailed(cause, text)}.`);
  }
}

function whereItFailed(error: unknown, text: string): string {
  const yamlPosition = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
  if (yamlPosition !== undefined) return ` at line ${yamlPosition.line}, column ${yamlPosition.col}`;
  const offset = /position (\d+)/.exec((error as Error).message ?? '')?.[1];
  if (offset === undefined) return '';
  const before = text.slice(0, Number(offset)).split('\n');
  return ` at line ${before.length}, column ${before.at(-1)!.length + 1}`;
}
