import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointMismatchError, fileCheckpoint, migrationFingerprint } from './migration-checkpoint.js';

const source = { backend: { type: 'pgvector', connectionString: 'postgres://app:hunter2-secret@db.example:5432/prod' }, strategy: { type: 'metadata-filter' }, dimension: 4 };
const target = { backend: { type: 'qdrant', url: 'http://qdrant.example:6333', apiKey: 'qdrant-key-123' }, strategy: { type: 'collection-per-tenant' }, dimension: 4 };

describe('migration fingerprints', () => {
  it('tell pairs apart by where the data lives, not by secrets or key order', () => {
    const fingerprint = migrationFingerprint({ from: source, to: target });
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const rotated = {
      dimension: 4,
      strategy: { type: 'metadata-filter' },
      backend: { connectionString: 'postgres://app:new-password@db.example:5432/prod', type: 'pgvector' },
    };
    expect(migrationFingerprint({ from: rotated, to: { ...target, backend: { ...target.backend, apiKey: 'rotated' } } })).toBe(fingerprint);
    const otherDatabase = { ...source, backend: { ...source.backend, connectionString: 'postgres://app:hunter2-secret@db.example:5432/staging' } };
    expect(migrationFingerprint({ from: otherDatabase, to: target })).not.toBe(fingerprint);
    expect(migrationFingerprint({ from: target, to: source })).not.toBe(fingerprint);
  });
});

describe('file checkpoints', () => {
  it('bind to their migration, refuse another or an unbound one, and hold no secret', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-checkpoint-'));
    const path = join(folder, 'checkpoint.json');
    const fingerprint = migrationFingerprint({ from: source, to: target });
    const checkpoint = fileCheckpoint(path);
    expect(await checkpoint.load(fingerprint)).toEqual({});
    await checkpoint.save('acme', { status: 'done', copied: 3 });
    const text = await readFile(path, 'utf8');
    expect(text).not.toMatch(/hunter2|qdrant-key|db\.example/);
    expect(await fileCheckpoint(path).load(fingerprint)).toEqual({ acme: { status: 'done', copied: 3 } });

    const other = migrationFingerprint({ from: source, to: { ...target, backend: { ...target.backend, url: 'http://elsewhere:6333' } } });
    const refusal = await fileCheckpoint(path).load(other).catch((error: unknown) => error);
    expect(CheckpointMismatchError.isInstance(refusal)).toBe(true);
    expect(refusal).toMatchObject({ code: 'CONFIGURATION', message: expect.stringContaining(path) });
    await expect(checkpoint.load(other)).rejects.toMatchObject({ name: 'CheckpointMismatchError' });

    // Written by a version that recorded no fingerprint: whose migration it was is unknown.
    await writeFile(path, JSON.stringify({ acme: { status: 'done', copied: 3 } }));
    await expect(fileCheckpoint(path).load(fingerprint)).rejects.toMatchObject({ name: 'CheckpointMismatchError' });
  });
});
