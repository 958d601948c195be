import { appendFile } from 'node:fs/promises';
import type { OperationEvent, StoreHooks } from '@tenantvec/core';

/** One line of the audit trail. */
export interface AuditEntry {
  /** ISO 8601. */
  at: string;
  operationId: string;
  /** The validated tenant; absent for store-wide operations and refused ids. */
  tenant?: string;
  /** A refused tenant id as it was given (cut to 64 characters). */
  attemptedTenantId?: string;
  operation: string;
  path?: string;
  counts: OperationEvent['counts'];
  durationMs: number;
  /** `rejected`: refused before any I/O, e.g. a bad tenant id, a scope-widening filter or a limit. */
  outcome: OperationEvent['outcome'];
  errorCode?: string;
}

export interface AuditSink {
  write(entry: AuditEntry): void | Promise<void>;
}

/**
 * Sends every operation of the store to `sink`, refusals included. A sink that throws fails the
 * operation's caller (fail closed): an action that cannot be recorded should not pass quietly.
 */
export function auditHooks(settings: { sink: AuditSink }): StoreHooks {
  return {
    async afterOperation(event) {
      await settings.sink.write({
        at: event.at.toISOString(),
        operationId: event.operationId,
        ...(event.tenant === undefined ? {} : { tenant: event.tenant }),
        ...(event.attemptedTenantId === undefined ? {} : { attemptedTenantId: event.attemptedTenantId }),
        operation: event.operation,
        ...(event.path === undefined ? {} : { path: event.path }),
        counts: { ...event.counts },
        durationMs: Math.round(event.durationMs * 1000) / 1000,
        outcome: event.outcome,
        ...(event.errorCode === undefined ? {} : { errorCode: event.errorCode }),
      });
    },
  };
}

export function memoryAuditSink(): AuditSink & { readonly entries: readonly AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return { entries, write: (entry) => void entries.push(entry) };
}

/**
 * Appends one JSON object per line. Writes are chained, so lines never interleave and appear in
 * the order operations finished; each write resolves once its line is in the file.
 */
export function jsonlFileSink(settings: { path: string }): AuditSink {
  let last: Promise<void> = Promise.resolve();
  return {
    write(entry) {
      const line = `${JSON.stringify(entry)}\n`;
      const written = last.then(() => appendFile(settings.path, line, 'utf8'));
      // A failed line is reported to its own caller; later lines still get written.
      last = written.catch(() => {});
      return written;
    },
  };
}
