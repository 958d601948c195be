import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenantVectorStore, memoryBackend } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { describe, expect, it } from 'vitest';
import { auditHooks, jsonlFileSink, memoryAuditSink, type AuditEntry } from './audit-hooks.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('auditHooks', () => {
  it('record every operation, refused tenant ids and scope-widening filters included', async () => {
    const sink = memoryAuditSink();
    const store = await createTenantVectorStore({ backend: memoryBackend(), strategy: metadataFilter(), dimension: 2, hooks: [auditHooks({ sink })] });
    const acme = store.forTenant('acme');
    await acme.upsert([{ id: 'a', vector: [1, 0] }]);
    await acme.query({ vector: [1, 0] });
    await expect(acme.query({ vector: [1, 0], filter: { $or: [{ tenant: 'globex' }] } as never })).rejects.toThrow();
    expect(() => store.forTenant('../globex')).toThrow();
    await settle();
    expect(sink.entries.map((entry) => [entry.operation, entry.tenant ?? entry.attemptedTenantId, entry.outcome, entry.errorCode])).toEqual([
      ['upsert', 'acme', 'ok', undefined],
      ['query', 'acme', 'ok', undefined],
      ['query', 'acme', 'rejected', 'INVALID_FILTER'],
      ['forTenant', '../globex', 'rejected', 'INVALID_TENANT_ID'],
    ]);
    expect(sink.entries[0]).toMatchObject({ counts: { records: 1 }, durationMs: expect.any(Number), at: expect.stringMatching(/^\d{4}-/) });
    expect(sink.entries[1]!.counts).toEqual({ results: 1 });
  });

  it('fail the operation when the sink cannot record it', async () => {
    const store = await createTenantVectorStore({
      backend: memoryBackend(), strategy: metadataFilter(), dimension: 2,
      hooks: [auditHooks({ sink: { write: () => Promise.reject(new Error('disk full')) } })],
    });
    await expect(store.forTenant('acme').count()).rejects.toThrow('disk full');
  });
});

describe('jsonlFileSink', () => {
  it('append one JSON object per line, in order, even when writes overlap', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'tenantvec-audit-')), 'audit.jsonl');
    const sink = jsonlFileSink({ path });
    const entry = (index: number): AuditEntry => ({ at: new Date(0).toISOString(), operationId: `op${index}`, tenant: 'acme', operation: 'query', counts: { results: index }, durationMs: 1, outcome: 'ok' });
    await Promise.all(Array.from({ length: 50 }, (_, index) => sink.write(entry(index))));
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as AuditEntry);
    expect(lines.map((line) => line.operationId)).toEqual(Array.from({ length: 50 }, (_, index) => `op${index}`));
  });

  it('report a failed write to its caller and keep writing later lines', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tenantvec-audit-'));
    const broken = jsonlFileSink({ path: join(directory, 'missing', 'audit.jsonl') });
    await expect(broken.write({ at: '', operationId: 'x', operation: 'get', counts: {}, durationMs: 0, outcome: 'ok' })).rejects.toThrow();
  });
});
