import { describe, expect, it } from 'vitest';
import { BatchRejectedError, BatchWriteError, BackendError, InvalidFilterError, TenantVecError } from './errors.js';

describe('typed errors', () => {
  it('carry a stable code, retryability and cause, and are recognised without instanceof', () => {
    const cause = new Error('socket hang up');
    const error = new BackendError('down', { cause, retryable: true });
    expect(error.code).toBe('BACKEND');
    expect(error.isRetryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(TenantVecError.isInstance(error)).toBe(true);
    expect(BackendError.isInstance(error)).toBe(true);
    expect(InvalidFilterError.isInstance(error)).toBe(false);
    // A copy from another bundle of the package: same marker, different class.
    const foreign = Object.assign(new Error('x'), { code: 'BACKEND' });
    Object.defineProperty(foreign, Symbol.for('tenantvec.error'), { value: true });
    expect(BackendError.isInstance(foreign)).toBe(true);
    expect(TenantVecError.isInstance(new Error('plain'))).toBe(false);
  });

  it('list every failed item of a batch, and which ids a partial write reached', () => {
    const rejected = new BatchRejectedError(Array.from({ length: 7 }, (_, index) => ({ index, id: `r${index}`, code: 'INVALID_ARGUMENT' as const, message: 'bad' })));
    expect(rejected.failures).toHaveLength(7);
    expect(rejected.message).toMatch(/7 item\(s\).*and 2 more/);
    const partial = new BatchWriteError({ writtenIds: ['a'], failedIds: ['b', 'c'], cause: new BackendError('x', { retryable: true }) });
    expect(partial.isRetryable).toBe(true);
    expect(partial.message).toMatch(/2 of 3/);
  });
});
