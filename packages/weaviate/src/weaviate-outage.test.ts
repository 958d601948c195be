import { afterEach, describe, expect, it } from 'vitest';
import { TenantVecError } from '@tenantvec/core';
import { startWeaviateEmulator, type WeaviateEmulator } from '@tenantvec/emulators/weaviate';
import { createWeaviateBackend, type WeaviateBackend } from './weaviate-backend.js';
import { withWeaviateRetries as withRetry } from './weaviate-requests.js';
import type { WeaviateRetrySettings as RetrySettings } from './weaviate-settings.js';

const collection = { name: 'outage_shared', dimension: 2, metric: 'cosine' as const, tenantField: true, partitioned: false };
const location = { collection: collection.name };
const scope = { tenant: 'acme' };
const opened: { emulator: WeaviateEmulator; backend: WeaviateBackend }[] = [];

/** A backend on an emulator of its own, which the test may stop, holding one record. */
async function serverWithRecord(retry: RetrySettings) {
  const emulator = await startWeaviateEmulator();
  const backend = createWeaviateBackend({
    httpHost: emulator.httpHost, httpPort: emulator.httpPort, grpcHost: emulator.grpcHost, grpcPort: emulator.grpcPort, retry,
  });
  opened.push({ emulator, backend });
  await backend.ensureCollection({ collection });
  await backend.rawUpsert({ location, records: [{ id: 'acme:a', recordId: 'a', vector: [1, 0], metadata: {}, tenant: 'acme' }] });
  return { emulator, backend };
}

async function timedFailure(operation: Promise<unknown>): Promise<{ error: TenantVecError; elapsedMs: number }> {
  const started = Date.now();
  const error = await operation.then(() => undefined, (caught: unknown) => caught);
  expect(TenantVecError.isInstance(error)).toBe(true);
  return { error: error as TenantVecError, elapsedMs: Date.now() - started };
}

afterEach(async () => {
  for (const { emulator, backend } of opened.splice(0)) {
    await backend.close();
    await emulator.stop();
  }
});

describe('weaviate under a server shutdown', () => {
  it('answers a call cut off by the shutdown with a retryable error, within retry.maxTotalMs', async () => {
    const { emulator, backend } = await serverWithRecord({ baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 1_500 });
    emulator.injectFault({ transport: 'grpc', times: 1, holdMs: 5_000 });
    const callsBefore = emulator.calls.grpc;
    const inFlight = timedFailure(backend.rawCount({ location, scope }));
    while (emulator.calls.grpc === callsBefore) await new Promise((resolve) => setTimeout(resolve, 5));
    // The server stops with the count still in flight: gRPC cancels it.
    await emulator.stop();
    const { error, elapsedMs } = await inFlight;
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: true });
    expect(elapsedMs).toBeLessThan(4_000);
  }, 15_000);

  it('bounds every later call with the server down by retry.maxTotalMs, not by the client timeouts', async () => {
    const { emulator, backend } = await serverWithRecord({ baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 1_000 });
    await emulator.stop();
    for (const call of [() => backend.rawCount({ location, scope }), () => backend.rawQuery({ location, scope, vector: [1, 0], topK: 1, includeVectors: false })]) {
      const { error, elapsedMs } = await timedFailure(call());
      expect(error).toMatchObject({ code: 'BACKEND', isRetryable: true });
      expect(elapsedMs).toBeLessThan(3_000);
    }
  }, 15_000);
});

describe('withRetry', () => {
  it('stops at maxTotalMs, attempts and backoff included, with a retryable BackendError', async () => {
    const started = Date.now();
    let attempts = 0;
    const error = await withRetry(() => (attempts += 1, new Promise(() => {})), { maxTotalMs: 100 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: true, message: expect.stringContaining('retry.maxTotalMs') });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(attempts).toBe(1);
  });

  it('refuses a maxTotalMs that is not a positive whole number', () => {
    const settings = { httpHost: '127.0.0.1', retry: { maxTotalMs: 0 } };
    expect(() => createWeaviateBackend(settings)).toThrow(expect.objectContaining({ code: 'CONFIGURATION', message: expect.stringContaining('retry.maxTotalMs') }));
  });
});
