import type { VectorBackend } from '@tenantvec/core';

/** One backend the conformance suite runs against; each vendor's entries live in `backends/`. */
export interface BackendUnderTest {
  name: string;
  /**
   * Why this backend cannot run here (a live service without its env var); undefined when it
   * can. Only live suites may be unavailable: emulated and embedded backends always run.
   */
  unavailable?: () => string | undefined;
  /**
   * A backend handle for one test store. Handles may share one connection or engine; closing a
   * handle must not close what it shares. Tests keep apart through unique store names.
   */
  create(settings?: { maxBatchSize?: number }): Promise<VectorBackend>;
  /** Releases what the handles shared, once the suite is done. Runs for skipped entries too. */
  teardown?(): Promise<void>;
}
