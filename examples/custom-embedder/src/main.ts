import { createTenantVectorStore, memoryBackend } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { wordVectorEmbedder } from './word-vector-embedder.js';

const modelDirectory = process.argv[2];
if (modelDirectory === undefined) {
  console.error('Usage: tsx src/main.ts <model directory with vectors.txt (GloVe text format)>');
  process.exit(2);
}
const embedder = await wordVectorEmbedder(modelDirectory);
const store = await createTenantVectorStore({ backend: memoryBackend(), strategy: metadataFilter(), dimension: embedder.dimension, embedder });
await store.forTenant('acme').upsert([
  { id: 'pets', text: 'our office welcomes dogs and cats' },
  { id: 'money', text: 'quarterly revenue and profit' },
]);
for (const question of ['puppy policy', 'earnings']) {
  const [best] = await store.forTenant('acme').query({ text: question, topK: 1 });
  console.log(`"${question}" → ${best?.id} (${best?.score.toFixed(2)})`);
}
await store.close();
