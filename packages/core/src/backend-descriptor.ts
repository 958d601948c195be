import type { z } from 'zod';
import type { BackendDecision } from './decision/decision-profile.js';
import { ConfigurationError } from './errors.js';
import type { VectorBackend } from './vector-backend.js';

export const BACKEND_DESCRIPTOR_VERSION = 1 as const;

/** The one export name under which a backend package lists its descriptors. */
export const BACKEND_DESCRIPTORS_EXPORT = 'backendDescriptors';

/** A backend opened for one benchmark run: empty, and removed again by `dispose`. */
export interface BenchRun {
  backend: VectorBackend;
  /** Bytes of everything the run stored (tables, indexes), when the backend can tell. */
  storageBytes?: () => Promise<number>;
  /** Server and extension versions for the report. */
  version?: () => Promise<string>;
  /** Removes what the run stored and closes what was opened; the store is closed first. */
  dispose: () => Promise<void>;
  /** `dispose` removes every tenant's data; otherwise the runner drops the tenants left. */
  disposeRemovesData: boolean;
  /** SQL backends: what the bench's "hand-written SQL, same plan" baseline needs to reach the same tables. */
  handWritten?: HandWrittenSqlAccess;
  /** Records at which a key gets its own vector index, where the backend builds one per key. */
  indexThreshold?: number;
}

/** A session the hand-written baseline sends its own SQL on, as the login, with the server's defaults. */
export interface BenchSqlSession {
  query(sql: string, parameters?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  close(): Promise<void>;
}

/** The schema, the settings that choose and tune plans, and sessions of its own. */
export interface HandWrittenSqlAccess {
  schema: string;
  exactScanBelow: number;
  efSearch: number;
  maxScanTuples: number;
  openSession(): Promise<BenchSqlSession>;
}

export interface BenchOpenParams {
  settings: Record<string, unknown>;
  /** Names the run (a schema, a prefix): anything that keeps two runs apart. */
  run: string;
  environment: Record<string, string | undefined>;
}

/**
 * Version 1 of what a backend package tells core and its tools: how a config names it, how its
 * settings are checked and its backend made, and the limits the decision helper weighs. Core
 * knows no backend but the built-in memory one; everything else arrives through this.
 */
export interface BackendDescriptor {
  readonly descriptorVersion: typeof BACKEND_DESCRIPTOR_VERSION;
  /** What a config's `backend.type` says: `pgvector`, `qdrant`... */
  readonly type: string;
  /** The package that exports this descriptor, for install hints. */
  readonly packageName: string;
  /** The strict schema the factory checks its settings with; a config's backend settings go through it. */
  readonly settingsSchema: z.ZodType;
  /** Settings that belong to a sibling type, with the hint to give (`dataDir` on pgvector: use pglite). */
  readonly misplacedSettings?: Readonly<Record<string, string>>;
  /** Makes the backend from the settings as given, once they passed `settingsSchema`. */
  create(settings: Record<string, unknown>): VectorBackend | Promise<VectorBackend>;
  readonly decision: BackendDecision;
  /** Runs with no server, in process. */
  readonly embedded?: boolean;
  /** Its settings take `readOnly: true`, which opens without migrating or creating anything. */
  readonly readOnlySetting?: boolean;
  /** How a benchmark opens a fresh backend per run; without it the bench calls `create`. */
  readonly bench?: { open(params: BenchOpenParams): Promise<BenchRun> };
}

/**
 * The descriptors a loaded module exports, checked for the version this core reads. A package
 * written for another version is refused with a message that says which, not misread.
 */
export function descriptorsOf(loaded: Record<string, unknown>, packageName: string): readonly BackendDescriptor[] {
  const listed = loaded[BACKEND_DESCRIPTORS_EXPORT];
  if (!Array.isArray(listed) || listed.length === 0) {
    throw new ConfigurationError(`${packageName} exports no ${BACKEND_DESCRIPTORS_EXPORT}: it is not a tenantvec backend package, or its version is too old for @tenantvec/core.`);
  }
  for (const descriptor of listed as Partial<BackendDescriptor>[]) {
    if (descriptor?.descriptorVersion !== BACKEND_DESCRIPTOR_VERSION) {
      throw new ConfigurationError(
        `${packageName} lists a backend descriptor of version ${JSON.stringify(descriptor?.descriptorVersion ?? null)}; this @tenantvec/core reads version ${BACKEND_DESCRIPTOR_VERSION}: install versions that match.`,
      );
    }
    if (typeof descriptor.type !== 'string' || typeof descriptor.create !== 'function' || typeof descriptor.settingsSchema?.safeParse !== 'function' || typeof descriptor.decision?.profile !== 'function') {
      throw new ConfigurationError(`${packageName} lists a backend descriptor without type, settingsSchema, create() and decision.profile().`);
    }
  }
  return listed as BackendDescriptor[];
}
