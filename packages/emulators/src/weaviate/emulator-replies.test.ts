import weaviate, { type WeaviateClient } from 'weaviate-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protoDefinitions, type ServiceDefinition } from './proto-definitions.js';
import { startWeaviateEmulator, type WeaviateEmulator } from './weaviate-emulator.js';

/**
 * The emulator's gRPC replies held to the service definitions weaviate-client 3.14 ships (ts-proto
 * output of Weaviate's grpc/proto/v1/*.proto). nice-grpc encodes a reply by dropping every key
 * the message does not define, so a misnamed or mistyped field vanishes silently on the wire;
 * here each reply object the emulator builds must survive encode → decode unchanged. The field
 * values follow the server's own reply code (weaviate/weaviate adapters/handlers/grpc/v1:
 * prepare_reply.go, batch_delete.go, tenants.go, prepare_aggregate_reply.go).
 */
interface MessageCodec {
  fromPartial(object: unknown): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
}

const replies: { method: string; reply: unknown }[] = [];
let emulator: WeaviateEmulator;
let client: WeaviateClient;
let service: ServiceDefinition;

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const uuidBytes = (uuid: string) => new Uint8Array(Buffer.from(uuid.replaceAll('-', ''), 'hex'));
const float32Bytes = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

/** Where `given` and its encode → decode round trip disagree: keys the message lacks, values it changes. */
function divergences(given: unknown, decoded: unknown, path: string): string[] {
  if (given === undefined) return [];
  if (given instanceof Uint8Array) {
    return decoded instanceof Uint8Array && Buffer.from(given).equals(Buffer.from(decoded)) ? [] : [`${path}: bytes changed`];
  }
  if (Array.isArray(given)) {
    if (!Array.isArray(decoded) || decoded.length !== given.length) return [`${path}: list changed`];
    return given.flatMap((item, index) => divergences(item, decoded[index], `${path}[${index}]`));
  }
  if (typeof given === 'object' && given !== null) {
    if (typeof decoded !== 'object' || decoded === null) return [`${path}: not a message`];
    return Object.entries(given).flatMap(([key, value]) =>
      value !== undefined && (decoded as Record<string, unknown>)[key] === undefined
        ? [`${path}.${key}: no such field`]
        : divergences(value, (decoded as Record<string, unknown>)[key], `${path}.${key}`),
    );
  }
  // float fields travel as float32: a double survives as its nearest float32.
  if (typeof given === 'number' && typeof decoded === 'number') return Math.fround(given) === Math.fround(decoded) ? [] : [`${path}: ${given} became ${decoded}`];
  return given === decoded ? [] : [`${path}: ${String(given)} became ${String(decoded)}`];
}

function strictProblems(method: string, reply: unknown): string[] {
  const codec = service.methods[method].responseType as MessageCodec;
  const decoded = codec.decode(codec.encode(codec.fromPartial(reply)).finish());
  return divergences(reply, decoded, method);
}

const last = (method: string): unknown => replies.filter((entry) => entry.method === method).at(-1)!.reply;

beforeAll(async () => {
  service = (await protoDefinitions()).weaviate;
  emulator = await startWeaviateEmulator({ onReply: (method, reply) => replies.push({ method, reply: structuredClone(reply) }) });
  client = await weaviate.connectToCustom({ httpHost: emulator.httpHost, httpPort: emulator.httpPort, grpcHost: emulator.grpcHost, grpcPort: emulator.grpcPort });
  await client.collections.create({
    name: 'Note',
    multiTenancy: weaviate.configure.multiTenancy({ enabled: true }),
    properties: [
      { name: 'title', dataType: 'text', tokenization: 'field' },
      { name: 'pages', dataType: 'int' },
      { name: 'tags', dataType: 'text[]', tokenization: 'field' },
    ],
    vectorizers: weaviate.configure.vectors.selfProvided(),
  });
  await client.collections.use('Note').tenants.create([{ name: 'acme' }, { name: 'cold', activityStatus: 'INACTIVE' }]);
});
afterAll(async () => {
  await client.close();
  await emulator.stop();
});

describe('weaviate emulator gRPC replies, against the client definitions', () => {
  it('checks strictly: a key outside the message or a value it cannot carry is caught', () => {
    expect(strictProblems('aggregate', { took: 0, singleResult: { objectCount: 3 } })).toEqual(['aggregate.singleResult.objectCount: no such field']);
    expect(strictProblems('batchDelete', { took: 0, matches: 1.5 })).toEqual(['batchDelete.matches: 1.5 became 1']);
    expect(strictProblems('tenantsGet', { took: 0, tenants: [{ name: 'a', activityStatus: 1 }] })).toEqual([]);
  });

  it('writes, searches, counts, lists tenants and deletes with replies that survive the wire unchanged', async () => {
    const notes = client.collections.use('Note').withTenant('acme');
    const inserted = await notes.data.insertMany([
      { id: id(1), properties: { title: 'alpha', pages: 3, tags: ['x'] }, vectors: [1, 0, 0] },
      { id: id(2), properties: { title: 'beta' }, vectors: [0, 1, 0] },
    ]);
    expect(inserted.hasErrors).toBe(false);
    expect((await notes.data.insertMany([{ properties: { nope: 'x' }, vectors: [1, 0, 0] }])).hasErrors).toBe(true);
    expect(last('batchObjects')).toMatchObject({ errors: [{ index: 0, error: expect.stringContaining("no such prop with name 'nope'") }] });
    await notes.query.nearVector([1, 0, 0], { limit: 2, filters: notes.filter.byProperty('title').containsAny(['alpha', 'beta']), returnMetadata: ['distance'], includeVector: true });
    await notes.query.fetchObjects({ limit: 5 });
    await notes.aggregate.overAll({ filters: notes.filter.byProperty('pages').greaterThan(1) });
    await client.collections.use('Note').tenants.get();
    await notes.data.deleteMany(notes.filter.byProperty('title').equal('beta'), { dryRun: true, verbose: true });
    await notes.data.deleteMany(notes.filter.byProperty('title').equal('beta'));
    const methods = new Set(replies.map((entry) => entry.method));
    expect([...methods].sort()).toEqual(['aggregate', 'batchDelete', 'batchObjects', 'search', 'tenantsGet']);
    expect(replies.flatMap(({ method, reply }) => strictProblems(method, reply))).toEqual([]);
  });

  it('answers a vector search field by field as prepare_reply.go does', async () => {
    const notes = client.collections.use('Note').withTenant('acme');
    await notes.data.insertMany([{ id: id(3), properties: { title: 'gamma' }, vectors: [0, 0, 1] }]);
    const found = await notes.query.nearVector([0, 0, 1], { limit: 1, includeVector: true, returnProperties: ['title', 'pages'], returnMetadata: ['distance'] });
    expect(found.objects[0]!.vectors.default).toEqual([0, 0, 1]);
    const reply = last('search') as { results: { metadata: Record<string, unknown>; properties: Record<string, unknown> }[]; generativeGroupedResult?: string };
    // The deprecated grouped-generative string is always set, empty without generation.
    expect(reply.generativeGroupedResult).toBe('');
    const [result] = reply.results;
    // Named vectors (`vector: true` asks for all of them) come in `vectors`, with name and type.
    expect(result!.metadata).toEqual({
      id: id(3),
      idAsBytes: uuidBytes(id(3)),
      distance: expect.any(Number),
      distancePresent: true,
      vectors: [{ name: 'default', index: 0, vectorBytes: float32Bytes([0, 0, 1]), type: 1 }],
    });
    // A requested property the object lacks comes back as a null value, not left out.
    expect(result!.properties).toMatchObject({ nonRefProps: { fields: { title: { textValue: 'gamma' }, pages: { nullValue: 0 } } }, targetCollection: 'Note' });
    expect(strictProblems('search', reply)).toEqual([]);
  });

  it('answers a batch delete as batch_delete.go does: dry runs count matches as successful, verbose lists them', async () => {
    const notes = client.collections.use('Note').withTenant('acme');
    const dry = await notes.data.deleteMany(notes.filter.byProperty('title').equal('gamma'), { dryRun: true, verbose: true });
    expect(dry).toMatchObject({ matches: 1, successful: 1, failed: 0 });
    expect(dry.objects.map((object) => object.id)).toEqual([id(3)]);
    expect(last('batchDelete')).toMatchObject({ objects: [{ uuid: uuidBytes(id(3)), successful: true, error: '' }] });
    expect((await notes.aggregate.overAll()).totalCount).toBe(2);
  });

  it('reports tenant activity with the HOT / COLD codes tenants.go writes, which the client reads as ACTIVE / INACTIVE', async () => {
    const tenants = await client.collections.use('Note').tenants.get();
    expect(last('tenantsGet')).toMatchObject({ tenants: expect.arrayContaining([{ name: 'acme', activityStatus: 1 }, { name: 'cold', activityStatus: 2 }]) });
    expect(tenants.acme!.activityStatus).toBe('ACTIVE');
    expect(tenants.cold!.activityStatus).toBe('INACTIVE');
  });
});
