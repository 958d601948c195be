import { describe, expect, it } from 'vitest';
import { QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import { classifyQdrantError, isMissingLocation, toBackendError } from './qdrant-errors.js';

const apiError = (status: number, error?: string, headers: Record<string, string> = {}) =>
  Object.assign(new Error('Bad Request'), { status, data: error === undefined ? undefined : { status: { error } }, headers: new Headers(headers) });

describe('Qdrant error mapping', () => {
  it('retries 429 and 5xx, honouring Retry-After seconds', () => {
    expect(classifyQdrantError(apiError(429, 'slow down', { 'retry-after': '2' }))).toEqual({ retryable: true, retryAfterMs: 2000 });
    for (const status of [500, 502, 503, 504]) expect(classifyQdrantError(apiError(status)).retryable).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 413, 422]) expect(classifyQdrantError(apiError(status)).retryable).toBe(false);
  });

  it('retries connection resets and timeouts, not programming errors', () => {
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    expect(classifyQdrantError(reset).retryable).toBe(true);
    expect(classifyQdrantError(new QdrantClientTimeoutError('aborted')).retryable).toBe(true);
    expect(classifyQdrantError(new TypeError('x is not a function')).retryable).toBe(false);
  });

  it('reads a missing collection or shard key as a missing location, nothing else', () => {
    expect(isMissingLocation(apiError(404, "Not found: Collection `c` doesn't exist!"))).toBe(true);
    expect(isMissingLocation(apiError(400, 'Bad request: Shard key t-acme-x not found'))).toBe(true);
    expect(isMissingLocation(apiError(400, 'Wrong input: Vector dimension error: expected dim: 3, got 2'))).toBe(false);
    expect(isMissingLocation(apiError(503))).toBe(false);
  });

  it('makes BackendErrors that name the operation, status and Qdrant text, with the cause kept', () => {
    const cause = apiError(503, 'Service unavailable');
    const error = toBackendError('query', cause);
    expect(error.code).toBe('BACKEND');
    expect(error.isRetryable).toBe(true);
    expect(error.message).toBe('Qdrant query failed (HTTP 503): Service unavailable');
    expect(error.cause).toBe(cause);
    expect(toBackendError('count', apiError(400, 'x'.repeat(1000))).message.length).toBeLessThan(400);
  });
});
