import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenantVectorStore, memoryBackend } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { describe, expect, it } from 'vitest';
import { wordVectorEmbedder } from './word-vector-embedder.js';

/** A tiny model directory: synonyms share a direction, which a lexical embedder could not know. */
async function modelDirectory(lines: string[]): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'tenantvec-model-'));
  await writeFile(join(folder, 'vectors.txt'), `${lines.join('\n')}\n`);
  return folder;
}

const animals = '0.9 0.1 0.0';
const money = '0.0 0.2 0.9';

describe('customEmbedder over a local model directory', () => {
  it('finds synonyms no word of the query shares, per tenant', async () => {
    const embedder = await wordVectorEmbedder(await modelDirectory([`dogs ${animals}`, `puppy ${animals}`, `cats ${animals}`, `revenue ${money}`, `earnings ${money}`, `profit ${money}`]));
    expect(embedder.dimension).toBe(3);
    const store = await createTenantVectorStore({ backend: memoryBackend(), strategy: metadataFilter(), dimension: 3, embedder });
    await store.forTenant('acme').upsert([{ id: 'pets', text: 'dogs and cats welcome' }, { id: 'money', text: 'revenue and profit' }]);
    await store.forTenant('other').upsert([{ id: 'theirs', text: 'puppy' }]);
    expect((await store.forTenant('acme').query({ text: 'puppy', topK: 1 }))[0]!.id).toBe('pets');
    expect((await store.forTenant('acme').query({ text: 'earnings', topK: 5 })).map((hit) => hit.id)).toEqual(['money', 'pets']);
  });

  it('refuses a directory without vectors, or with a malformed line, naming it', async () => {
    await expect(wordVectorEmbedder(await modelDirectory([]))).rejects.toMatchObject({ code: 'CONFIGURATION' });
    await expect(wordVectorEmbedder(join(tmpdir(), 'no-such-model'))).rejects.toThrow(/holds no vectors.txt/);
    await expect(wordVectorEmbedder(await modelDirectory(['a 1 2 3', 'b 1 2']))).rejects.toThrow(/line 2: expected 3 finite numbers/);
  });
});
