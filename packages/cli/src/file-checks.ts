import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CommandError } from './command-io.js';

/** Refuses an input file that is not there before any store is opened. */
export async function existingInput(path: string, option: string): Promise<string> {
  const found = await stat(path).catch(() => undefined);
  if (found === undefined || !found.isFile()) throw new CommandError('INPUT_NOT_FOUND', `--${option} ${path}: no such file.`);
  await access(path, constants.R_OK).catch(() => {
    throw new CommandError('INPUT_NOT_FOUND', `--${option} ${path}: the file cannot be read (permission denied).`);
  });
  return path;
}

/**
 * Refuses an output path whose folder is missing, and an existing file unless `overwrite`, so a
 * typo never ends as a half-written export or a lost earlier one.
 */
export async function newOutput(path: string, params: { option: string; overwrite: boolean }): Promise<string> {
  const folder = dirname(resolve(path));
  const folderFound = await stat(folder).catch(() => undefined);
  if (folderFound === undefined || !folderFound.isDirectory()) {
    throw new CommandError('OUTPUT_FOLDER_NOT_FOUND', `--${params.option} ${path}: the folder ${folder} does not exist; create it first.`);
  }
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory() === true) throw new CommandError('OUTPUT_EXISTS', `--${params.option} ${path} is a folder: give a file name.`);
  if (existing !== undefined && !params.overwrite) {
    throw new CommandError('OUTPUT_EXISTS', `--${params.option} ${path} already exists: add --force to overwrite it.`);
  }
  return path;
}
