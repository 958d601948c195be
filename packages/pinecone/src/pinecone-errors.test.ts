import { describe, expect, it } from 'vitest';
import { isRetryable, statusOf, toBackendError } from './pinecone-errors.js';
import { PineconeRequests } from './pinecone-requests.js';

function clientError(name: string, message = ''): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('retry classification', () => {
  it('reads the status the client keeps only in error names and messages', () => {
    expect(statusOf(clientError('PineconeUnavailableError'))).toBe(503);
    expect(statusOf(clientError('PineconeUnmappedHttpError', 'An unexpected error occured. Status: 429. Body: {}'))).toBe(429);
    expect(statusOf(clientError('PineconeNotFoundError'))).toBe(404);
    expect(statusOf('nope')).toBeUndefined();
  });

  it('retries 429, 5xx and lost connections, nothing else', () => {
    expect(isRetryable(clientError('PineconeUnmappedHttpError', 'Status: 429.'))).toBe(true);
    expect(isRetryable(clientError('PineconeInternalServerError'))).toBe(true);
    expect(isRetryable(clientError('PineconeConnectionError'))).toBe(true);
    expect(isRetryable(clientError('PineconeBadRequestError', 'bad'))).toBe(false);
    expect(isRetryable(clientError('PineconeArgumentError'))).toBe(false);
  });

  it("turns client errors into BackendErrors that do not repeat the client's text", () => {
    const error = toBackendError(clientError('PineconeBadRequestError', 'Vector ID other-tenant:secret is invalid'), 'upsert');
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: false });
    expect(error.message).toBe('Pinecone upsert failed (PineconeBadRequestError).');
  });

  it('gives up after the set attempts, and stops at once on what cannot succeed', async () => {
    const requests = new PineconeRequests({ maxAttempts: 3, baseDelayMs: 1 }, 'eventual', 0);
    let calls = 0;
    await expect(requests.call('query', async () => {
      calls += 1;
      throw clientError('PineconeUnavailableError');
    })).rejects.toMatchObject({ isRetryable: true });
    expect(calls).toBe(3);
    calls = 0;
    await expect(requests.call('query', async () => {
      calls += 1;
      throw clientError('PineconeBadRequestError');
    })).rejects.toMatchObject({ isRetryable: false });
    expect(calls).toBe(1);
  });
});
