import { expect, it } from 'vitest';
import {
  BatchWriteError,
  localEmbedder,
  TenantVecError,
  type Embedder,
  type IngestParams,
  type TenantScope,
} from '@tenantvec/core';
import type { Harness, StoreOptions } from '../harness.js';
import { randomVector, seededRandom } from '../vectors.js';

/** The local embedder at the suite's dimension, counting the texts it is asked to embed. */
function countingEmbedder(): Embedder & { texts: number } {
  const inner = localEmbedder({ dimension: 8 });
  const counting = {
    ...inner,
    texts: 0,
    async embed(params: Parameters<Embedder['embed']>[0]) {
      counting.texts += params.texts.length;
      return inner.embed(params);
    },
  };
  return counting;
}

const handbook = [
  'Vacation: every employee has twenty-five vacation days a year.',
  'Sick leave needs a note from the third day on.',
  'Expenses are refunded within thirty days of the receipt.',
  'Remote work is allowed two days a week.',
  'The office opens at eight and closes at six.',
];
const handbookTwo = [
  'Vacation: every employee has thirty vacation days a year.',
  'Sick leave needs a note from the second day on.',
  'Expenses are refunded within ten days.',
  'Remote work is allowed every day.',
];

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

/** What a reader sees of one document: the texts of its visible chunks, from a query wide enough for all. */
async function visibleChunks(scope: TenantScope, documentId: string): Promise<string[]> {
  const hits = await scope.query({ vector: randomVector(seededRandom(3), 8), topK: 100 });
  return hits.filter((hit) => hit.metadata.tenantvec_document === documentId).map((hit) => hit.text!).sort();
}

const sorted = (texts: readonly string[]) => [...texts].sort();

export function documentsSuite(harness: Harness): void {
  const newStore = async (options: StoreOptions = {}) => {
    const embedder = countingEmbedder();
    const made = await harness.newStore({ embedder, ...options });
    return { ...made, embedder };
  };

  it('ingests a document as chunks readers find, lists it, and re-ingests it unchanged for nothing', async () => {
    const { store, calls, embedder } = await newStore();
    const acme = store.forTenant('acme');
    const text = handbook.join('\n\n');
    const document: IngestParams = { documentId: 'kb/handbook.md', text, splitter: { chunkTokens: 20, overlapTokens: 4 }, metadata: { kind: 'policy' }, source: 'kb/hr' };
    const created = await acme.ingest(document);
    expect(created).toMatchObject({ documentId: 'kb/handbook.md', status: 'created', removed: 0 });
    expect(created.chunks).toBeGreaterThan(2);
    expect(created.embedded).toBe(created.chunks);
    const hits = await acme.query({ text: 'vacation days', topK: 3 });
    expect(hits[0]!.metadata).toMatchObject({ tenantvec_document: 'kb/handbook.md', kind: 'policy' });
    expect(hits[0]!.source).toBe('kb/hr');
    expect((await acme.documents()).documents).toEqual([{
      documentId: 'kb/handbook.md', version: created.version, chunks: created.chunks, characters: text.length, metadata: { kind: 'policy' }, source: 'kb/hr',
    }]);
    const embeddedBefore = embedder.texts;
    calls.length = 0;
    const again = await acme.ingest(document);
    expect(again).toEqual({ ...created, status: 'unchanged', embedded: 0 });
    expect(embedder.texts).toBe(embeddedBefore);
    expect(calls.filter((call) => call === 'rawUpsert' || call === 'rawDelete')).toEqual([]);
  });

  it('replaces a changed document whole: only the new version remains, and readers see only it', async () => {
    const { store } = await newStore();
    const acme = store.forTenant('acme');
    const first = await acme.ingest({ documentId: 'handbook', chunks: handbook });
    const second = await acme.ingest({ documentId: 'handbook', chunks: handbookTwo });
    expect(second).toMatchObject({ status: 'updated', chunks: 4, embedded: 4, removed: 4 });
    expect(second.version).not.toBe(first.version);
    expect(await acme.count({ filter: { tenantvec_document: 'handbook' } })).toBe(4);
    expect(await visibleChunks(acme, 'handbook')).toEqual(sorted(handbookTwo));
  });

  it('leaves one whole version when an update fails at any backend call, and a rerun converges', async () => {
    // A dry run lists the calls an update makes; then each of them fails in turn.
    const { store: dry, calls: dryCalls } = await newStore({ backendMaxBatchSize: 2 });
    await dry.forTenant('acme').ingest({ documentId: 'handbook', chunks: handbook });
    dryCalls.length = 0;
    await dry.forTenant('acme').ingest({ documentId: 'handbook', chunks: handbookTwo });
    const steps = dryCalls.length;
    expect(dryCalls.filter((call) => call === 'rawUpsert').length).toBeGreaterThanOrEqual(3);

    // One store for every step, a tenant of its own per step: the same calls as the dry run's
    // update, without creating a store (and its collections) for each.
    let armed = false;
    let seen = 0;
    let failAt = 0;
    const { store } = await newStore({
      backendMaxBatchSize: 2,
      intercept: async (method, call) => {
        if (armed && seen++ === failAt) throw new Error(`injected failure in ${method}`);
        return call();
      },
    });
    for (failAt = 0; failAt < steps; failAt += 1) {
      const acme = store.forTenant(`acme-${failAt}`);
      await acme.ingest({ documentId: 'handbook', chunks: handbook });
      seen = 0;
      armed = true;
      const crashed = await failure(acme.ingest({ documentId: 'handbook', chunks: handbookTwo }));
      armed = false;
      // The injected failure itself, or a typed error that carries it as its cause.
      const reason = crashed as { message?: string; cause?: { message?: string } } | undefined;
      expect(`${reason?.message} ${reason?.cause?.message}`, `failing call ${failAt}`).toContain('injected failure');
      const visible = await visibleChunks(acme, 'handbook');
      expect([sorted(handbook), sorted(handbookTwo)], `failing call ${failAt}: ${JSON.stringify(visible)}`).toContainEqual(visible);
      const { documents } = await acme.documents();
      expect(documents.map((listed) => listed.chunks)).toEqual([visible.length]);
      const rerun = await acme.ingest({ documentId: 'handbook', chunks: handbookTwo });
      expect(['updated', 'unchanged']).toContain(rerun.status);
      expect(await acme.count({ filter: { tenantvec_document: 'handbook' } })).toBe(4);
      expect(await visibleChunks(acme, 'handbook')).toEqual(sorted(handbookTwo));
    }
    // Every step's failure and rerun stayed in its own tenant: the earlier ones are still whole.
    for (let step = 0; step < steps; step += 1) {
      const earlier = store.forTenant(`acme-${step}`);
      expect(await visibleChunks(earlier, 'handbook'), `tenant of step ${step}`).toEqual(sorted(handbookTwo));
      expect(await earlier.count(), `tenant of step ${step}`).toBe(4);
    }
  });

  it('keeps documents inside their tenant: same ids, same texts, listing, deleting, filtering', async () => {
    const { store } = await newStore();
    const acme = store.forTenant('acme');
    const neighbour = store.forTenant('acme-corp');
    const mine = await acme.ingest({ documentId: 'handbook', chunks: handbook });
    await acme.ingest({ documentId: 'Handbook', chunks: ['a second document whose id differs only in case'] });
    await neighbour.ingest({ documentId: 'handbook', chunks: [...handbook, 'the neighbour has a sixth chunk'] });
    await neighbour.ingest({ documentId: 'neighbour-only', chunks: ['secret of the neighbour'] });
    expect((await acme.documents()).documents.map((listed) => listed.documentId).sort()).toEqual(['Handbook', 'handbook']);
    expect((await acme.ingest({ documentId: 'handbook', chunks: handbook })).status).toBe('unchanged');
    const widened = await acme.query({ vector: randomVector(seededRandom(4), 8), topK: 100, filter: { $or: [{ tenantvec_document: 'neighbour-only' }, { tenantvec_document: { $exists: true } }] } });
    expect(widened.map((hit) => hit.text)).not.toContain('secret of the neighbour');
    expect(widened).toHaveLength(6);
    await neighbour.deleteDocument({ documentId: 'handbook' });
    expect(await visibleChunks(acme, 'handbook')).toEqual(sorted(handbook));
    expect(await acme.count()).toBe(mine.chunks + 1);
    await acme.deleteDocument({ documentId: 'neighbour-only' });
    expect((await neighbour.documents()).documents.map((listed) => listed.documentId)).toEqual(['neighbour-only']);
  });

  it('keeps a document whole through an export imported into another tenant, as a migration does', async () => {
    const { store } = await newStore();
    const acme = store.forTenant('acme');
    const ingested = await acme.ingest({ documentId: 'handbook', chunks: handbook, metadata: { kind: 'policy' } });
    const exported = [];
    for await (const record of acme.export()) exported.push(record);
    const moved = store.forTenant('acme-moved');
    await moved.upsert(exported.map(({ id, vector, text, metadata }) => ({ id, vector, ...(text === undefined ? {} : { text }), metadata })));
    expect((await moved.documents()).documents).toEqual((await acme.documents()).documents);
    expect(await visibleChunks(moved, 'handbook')).toEqual(sorted(handbook));
    expect(await moved.ingest({ documentId: 'handbook', chunks: handbook, metadata: { kind: 'policy' } })).toMatchObject({ status: 'unchanged', version: ingested.version });
  });

  it('pages documents with a cursor and collapses hits to one per document', async () => {
    const { store } = await newStore();
    const acme = store.forTenant('acme');
    await acme.ingestMany({ documents: ['one', 'two', 'three'].map((documentId) => ({ documentId, chunks: handbook.map((text) => `${documentId}: ${text}`) })) });
    await acme.upsert([{ id: 'loose', text: 'a record of its own' }]);
    const listed: string[] = [];
    let after: string | undefined;
    do {
      const page = await acme.documents({ pageSize: 2, ...(after === undefined ? {} : { after }) });
      expect(page.documents.length).toBeLessThanOrEqual(2);
      listed.push(...page.documents.map((listedDocument) => listedDocument.documentId));
      after = page.next;
    } while (after !== undefined);
    expect(listed.sort()).toEqual(['one', 'three', 'two']);
    const collapsed = await acme.query({ text: 'vacation days a year', topK: 4, collapse: 'document' });
    expect(collapsed.map((hit) => hit.metadata.tenantvec_document ?? hit.id).sort()).toEqual(['loose', 'one', 'three', 'two']);
  });

  it('deletes a document whole; a failure halfway hides it, and deleting again finishes', async () => {
    let failNext = false;
    const { store } = await newStore({
      intercept: async (method, call) => {
        if (failNext && method === 'rawDelete') {
          failNext = false;
          await call();
          throw new Error('injected failure after the head was deleted');
        }
        return call();
      },
    });
    const acme = store.forTenant('acme');
    await acme.ingest({ documentId: 'handbook', chunks: handbook });
    failNext = true;
    expect(await failure(acme.deleteDocument({ documentId: 'handbook' }))).toBeInstanceOf(Error);
    expect(await visibleChunks(acme, 'handbook')).toEqual([]);
    expect((await acme.documents()).documents).toEqual([]);
    await acme.deleteDocument({ documentId: 'handbook' });
    expect(await acme.count()).toBe(0);
  });

  it('batches an upsert larger than the store\'s batch size, and says which records a failed batch wrote', async () => {
    const injected = { failAt: -1 };
    const { store, calls } = await newStore({
      maxBatchSize: 5,
      backendMaxBatchSize: 2,
      intercept: async (method, call, index) => {
        if (method === 'rawUpsert' && index === injected.failAt) throw new Error('injected write failure');
        return call();
      },
    });
    const acme = store.forTenant('acme');
    const records = Array.from({ length: 12 }, (_, n) => ({ id: `r${n}`, vector: randomVector(seededRandom(n + 1), 8) }));
    expect(await acme.upsert(records)).toEqual({ upserted: 12 });
    expect(calls.filter((call) => call === 'rawUpsert')).toHaveLength(7);
    expect(await acme.count()).toBe(12);
    injected.failAt = 10;
    const failed = await failure(acme.upsert(records));
    expect(BatchWriteError.isInstance(failed)).toBe(true);
    expect((failed as BatchWriteError).writtenIds).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect((failed as BatchWriteError).failedIds).toEqual(records.slice(5).map((record) => record.id));
  });

  it('refuses a document a plain record holds the id of, and malformed documents before any I/O', async () => {
    const { store, calls } = await newStore();
    const acme = store.forTenant('acme');
    const bare = (await harness.newStore()).store.forTenant('acme');
    const attempts: [unknown, string][] = [
      [{ documentId: '', text: 'x' }, 'INVALID_ARGUMENT'],
      [{ documentId: 'd'.repeat(250), text: 'x' }, 'INVALID_ARGUMENT'],
      [{ documentId: 'd', text: 'x', chunks: ['x'] }, 'INVALID_ARGUMENT'],
      [{ documentId: 'd' }, 'INVALID_ARGUMENT'],
      [{ documentId: 'd', text: '   ' }, 'INVALID_ARGUMENT'],
      [{ documentId: 'd', chunks: [] }, 'INVALID_ARGUMENT'],
      [{ documentId: 'd', chunks: [{ text: 'x', extra: 1 }] }, 'INVALID_ARGUMENT'],
      [{ documentId: 'd', text: 'x', splitter: { chunkTokens: 10, overlapTokens: 10 } }, 'INVALID_ARGUMENT'],
      [{ documentId: 'd', text: 'x', splitter: { chunkSize: 10 } }, 'INVALID_ARGUMENT'],
      [{ documentId: 'd', chunks: ['x'], splitter: {} }, 'INVALID_ARGUMENT'],
      [{ documentId: 'd', text: 'x', metadata: { tenantvec_document: 'other' } }, 'INVALID_ARGUMENT'],
      [{ documentId: 'd', text: 'x', source: '../outside' }, 'INVALID_SOURCE'],
      [{ documentId: 'd', text: 'x', tenant: 'acme-corp' }, 'INVALID_ARGUMENT'],
      [{ documentId: 'd', chunks: [{ text: 'x', vector: [1, 2] }] }, 'BATCH_REJECTED'],
    ];
    for (const [attempt, code] of attempts) {
      const error = await failure(acme.ingest(attempt as never));
      expect(TenantVecError.isInstance(error) && error.code, JSON.stringify(attempt)).toBe(code);
    }
    expect((await failure(bare.ingest({ documentId: 'd', text: 'x' })) as TenantVecError).code).toBe('EMBEDDER_REQUIRED');
    expect((await failure(acme.ingestMany({ documents: [{ documentId: 'd', text: 'x' }, { documentId: 'd', text: 'y' }] })) as TenantVecError).code).toBe('INVALID_ARGUMENT');
    expect((await failure(acme.query({ text: 'x', collapse: 'chunk' } as never)) as TenantVecError).code).toBe('INVALID_ARGUMENT');
    expect(calls).toEqual([]);
    await acme.upsert([{ id: 'plain', text: 'a record written by upsert' }]);
    expect((await failure(acme.ingest({ documentId: 'plain', text: 'x' })) as TenantVecError).code).toBe('INVALID_ARGUMENT');
    expect((await failure(acme.deleteDocument({ documentId: 'plain' })) as TenantVecError).code).toBe('INVALID_ARGUMENT');
    expect(await acme.get('plain')).not.toBeNull();
  });
}
