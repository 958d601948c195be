import { memoryBackend } from '@tenantvec/core';
import type { BackendUnderTest } from './backend-under-test.js';
import { pgvectorBackends } from './backends/pgvector-backends.js';
import { pineconeBackends } from './backends/pinecone-backends.js';
import { qdrantBackends } from './backends/qdrant-backends.js';
import { weaviateBackends } from './backends/weaviate-backends.js';

export type { BackendUnderTest } from './backend-under-test.js';

/**
 * The backends the conformance suite runs against: every entry × every strategy. Each backend
 * issue adds a file in `backends/` and one line here. Narrow a run with
 * `TENANTVEC_BACKENDS=memory,pglite` and `TENANTVEC_STRATEGIES=metadata-filter`.
 */
export const backendsUnderTest: BackendUnderTest[] = [
  { name: 'memory', create: async (settings = {}) => memoryBackend(settings) },
  ...pgvectorBackends,
  ...qdrantBackends,
  ...pineconeBackends,
  ...weaviateBackends,
];
