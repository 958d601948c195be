import { memoryBackend, type VectorBackend } from '@tenantvec/core';
import { createEmbeddedDatabase, pglite } from '@tenantvec/pgvector';
import { describe, expect, it } from 'vitest';
import { documents, runQuickstart, strategies } from './quickstart.js';

const backends: Record<string, () => Promise<{ create: () => VectorBackend; close: () => Promise<void> }>> = {
  memory: async () => ({ create: () => memoryBackend(), close: async () => {} }),
  'embedded pgvector (the default of main.ts)': async () => {
    const database = await createEmbeddedDatabase();
    return { create: () => pglite({ pglite: database }), close: () => database.close() };
  },
};

describe.each(Object.keys(backends))('quickstart on %s', (backendName) => {
  it('shows each tenant only its own documents under every strategy', async () => {
    const backend = await backends[backendName]!();
    const answers = await runQuickstart(backend.create).finally(() => backend.close());
    expect(answers).toHaveLength(Object.keys(strategies).length * Object.keys(documents).length);
    for (const answer of answers) {
      const own = documents[answer.tenant as keyof typeof documents].map((record) => record.text as string);
      for (const hit of answer.hits) expect(own).toContain(hit.text);
      expect(answer.hits).toHaveLength(2);
      const finance = documents[answer.tenant as keyof typeof documents].filter((record) => record.source.startsWith('kb/finance/'));
      expect(answer.financeHits).toEqual(finance.map((record) => record.id));
    }
  });
});
