import { BackendError, TenantVecError } from '@tenantvec/core';

/**
 * SQLSTATE classes worth retrying: connection trouble, serialization failures and deadlocks,
 * an administrator shutdown or a crashed backend.
 */
const retryableStates = /^(08|40001|40P01|57P0[1-3]|53300)/;

/** Wraps a driver error as a `BackendError`, keeping the original as `cause`. */
export function toBackendError(error: unknown, message?: string): TenantVecError {
  if (TenantVecError.isInstance(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  return new BackendError(message ?? `Postgres refused the operation: ${detail}`, {
    cause: error,
    retryable: typeof code === 'string' && retryableStates.test(code),
  });
}
