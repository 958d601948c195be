import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigurationError, TenantVecError } from '@tenantvec/core';

export interface TenantMigrationState {
  status: 'copying' | 'copied' | 'done';
  copied: number;
  /** Export cursor after the last page written. */
  after?: string;
}

/**
 * Where each tenant's migration stands, so an interrupted run resumes instead of restarting.
 * A checkpoint belongs to one migration — one source and one target — named by a fingerprint:
 * progress recorded for another pair would make a run skip tenants it never copied.
 */
export interface MigrationCheckpoint {
  /**
   * The progress recorded for the migration `fingerprint` names; binds an empty checkpoint to it.
   * @throws CheckpointMismatchError when the checkpoint holds progress of another migration.
   */
  load(fingerprint: string): Promise<Record<string, TenantMigrationState>>;
  save(tenantId: string, state: TenantMigrationState): Promise<void>;
}

/** A checkpoint made for another source or target, or one that names none. Code `CONFIGURATION`. */
export class CheckpointMismatchError extends ConfigurationError {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointMismatchError';
  }

  static override isInstance(error: unknown): error is CheckpointMismatchError {
    return TenantVecError.isInstance(error) && error.name === 'CheckpointMismatchError';
  }
}

const secretKey = /pass(word)?|secret|token|api[-_]?key|credential|auth/i;

/** Drops what must not be kept (secrets) and what does not change where data lives (key order). */
function canonical(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/i, '$1@');
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([key]) => !secretKey.test(key)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, entry]) => [key, canonical(entry)]));
  }
  return value;
}

/**
 * Names a migration by its source and target configs (with `${ENV}` already resolved): a SHA-256
 * of both without their secrets, so the checkpoint holds no password or key, and rotating one
 * does not orphan a checkpoint.
 */
export function migrationFingerprint(params: { from: unknown; to: unknown }): string {
  return createHash('sha256').update(JSON.stringify(canonical({ from: params.from, to: params.to }))).digest('hex');
}

function mismatch(where: string): CheckpointMismatchError {
  return new CheckpointMismatchError(`${where} holds the progress of another migration (another source or target); use another checkpoint, or delete it to start this migration over.`);
}

export function memoryCheckpoint(): MigrationCheckpoint {
  const states: Record<string, TenantMigrationState> = {};
  let bound: string | undefined;
  return {
    load: async (fingerprint) => {
      if (bound !== undefined && bound !== fingerprint) throw mismatch('The checkpoint');
      bound = fingerprint;
      return structuredClone(states);
    },
    save: async (tenantId, state) => void (states[tenantId] = structuredClone(state)),
  };
}

interface CheckpointFile {
  fingerprint: string;
  tenants: Record<string, TenantMigrationState>;
}

/** A JSON file rewritten through a rename after every page, so a crash loses at most one page of progress. */
export function fileCheckpoint(path: string): MigrationCheckpoint {
  let contents: CheckpointFile | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const read = async (fingerprint: string): Promise<CheckpointFile> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return { fingerprint, tenants: {} };
    }
    const parsed = JSON.parse(text) as Partial<CheckpointFile>;
    // A file without a fingerprint comes from an older version: whose migration it was is unknown.
    if (typeof parsed.fingerprint !== 'string' || parsed.fingerprint !== fingerprint || typeof parsed.tenants !== 'object') throw mismatch(`Checkpoint ${path}`);
    return { fingerprint, tenants: parsed.tenants };
  };
  return {
    load: async (fingerprint) => {
      if (contents !== undefined && contents.fingerprint !== fingerprint) throw mismatch(`Checkpoint ${path}`);
      contents ??= await read(fingerprint);
      return structuredClone(contents.tenants);
    },
    save: (tenantId, state) => {
      const next = queue.then(async () => {
        if (contents === undefined) throw new ConfigurationError('A checkpoint is saved to only after load() has bound it to a migration.');
        contents.tenants[tenantId] = structuredClone(state);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(`${path}.tmp`, `${JSON.stringify(contents, null, 2)}\n`);
        await rename(`${path}.tmp`, path);
      });
      queue = next.catch(() => {});
      return next;
    },
  };
}
