import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromPineconeRecord, toPineconeRecord } from './record-mapping.js';
import { MAX_PINECONE_ID_LENGTH, physicalIdOf, pineconeIdOf } from './point-ids.js';

describe('pineconeIdOf', () => {
  it('keeps printable ASCII ids as they are', () => {
    expect(pineconeIdOf('acme:doc-1 x%')).toEqual({ id: 'acme:doc-1 x%25', lossy: false });
    expect(pineconeIdOf('acme:q4#0')).toEqual({ id: 'acme:q4#0', lossy: false });
  });

  it('percent-encodes the rest, reversibly and without collisions', () => {
    const ids = ['acme:café', 'acme:caf%C3%A9', 'acme:日本', 'acme:%', 'acme:%25'];
    const encoded = ids.map((id) => pineconeIdOf(id).id);
    expect(new Set(encoded).size).toBe(ids.length);
    for (const [index, id] of ids.entries()) {
      expect(encoded[index]).toMatch(/^[\x20-\x7e]+$/);
      expect(physicalIdOf(encoded[index]!)).toBe(id);
    }
  });

  it('shortens ids Pinecone cannot hold to a unique digest, and the record keeps its physical id', () => {
    const long = `${'t'.repeat(128)}:${'日'.repeat(256)}`;
    const other = `${'t'.repeat(128)}:${'日'.repeat(255)}本`;
    const [first, second] = [pineconeIdOf(long), pineconeIdOf(other)];
    expect(first.lossy).toBe(true);
    expect(first.id.length).toBeLessThanOrEqual(MAX_PINECONE_ID_LENGTH);
    expect(first.id).not.toBe(second.id);
    const vector = toPineconeRecord({ id: long, recordId: 'r', vector: [1], metadata: {} });
    expect(fromPineconeRecord(vector)!.id).toBe(long);
  });
});

describe('pineconeIdOf injectivity', () => {
  it('lets no id spell the shortened form of another', () => {
    const long = `acme:${'日'.repeat(250)}`;
    const shortened = pineconeIdOf(long);
    expect(shortened.lossy).toBe(true);
    // The id an attacker would write: the readable head decoded, then the joint and the digest
    // exactly as they appear, so that the id is kept whole and comes out as the same string.
    const spelled = shortened.id.replace(/(?:%[0-9A-F]{2})+/g, (escapes) => decodeURIComponent(escapes));
    expect(spelled.length).toBeLessThan(200);
    expect(pineconeIdOf(spelled).id).not.toBe(shortened.id);
  });

  it('never maps two ids to one, short or long, ASCII or not', () => {
    const id = fc.string({ unit: fc.constantFrom('a', '~', '%', '日', 'é', '7', 'E'), maxLength: 300 });
    fc.assert(
      fc.property(id, id, (left, right) => {
        fc.pre(left !== right);
        expect(pineconeIdOf(left).id).not.toBe(pineconeIdOf(right).id);
      }),
      { numRuns: 2000, seed: 15 },
    );
  });
});

describe('record mapping', () => {
  it('round-trips a record, keeping system fields out of the user metadata', () => {
    const record = { id: 'a:1', recordId: '1', vector: [0.5, 1], metadata: { kind: 'pdf', n: 2, tags: ['x'] }, tenant: 'a', source: 'a/kb/q4', text: 'hello' };
    const vector = toPineconeRecord(record, 'mark');
    expect(vector.metadata).toMatchObject({ _tenant: 'a', _source_ancestors: ['a', 'a/kb', 'a/kb/q4'], _numeric_keys: ['n'], _write: 'mark' });
    expect(fromPineconeRecord(vector)).toEqual(record);
  });

  it("refuses, before any request, a record whose metadata would pass Pinecone's 40 KB", () => {
    const record = { id: 'a:1', recordId: '1', vector: [1], metadata: { blob: 'x'.repeat(30_000) }, text: 'y'.repeat(15_000) };
    expect(() => toPineconeRecord(record)).toThrow(expect.objectContaining({ code: 'BACKEND', isRetryable: false }));
  });

  it('skips vectors tenantvec did not write', () => {
    expect(fromPineconeRecord({ id: 'foreign', values: [1], metadata: { kind: 'x' } })).toBeUndefined();
  });
});
