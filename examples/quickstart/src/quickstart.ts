import { collectionPerTenant } from '@tenantvec/collection-per-tenant';
import { createTenantVectorStore, localEmbedder, type IsolationStrategy, type VectorBackend } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { namespacePerTenant } from '@tenantvec/namespace-per-tenant';
import { sourcePrefix } from '@tenantvec/source-prefix';

/** Each tenant's knowledge base. All three write a document with the id `handbook#0`. */
export const documents = {
  acme: [
    { id: 'handbook#0', text: 'Acme quarterly revenue rose twelve percent on rocket sales', source: 'kb/finance/q4' },
    { id: 'handbook#1', text: 'Acme travel policy: economy class for flights under six hours', source: 'kb/hr/travel' },
  ],
  globex: [
    { id: 'handbook#0', text: 'Globex revenue fell after the volcano lair renovation', source: 'kb/finance/annual' },
    { id: 'handbook#1', text: 'Globex hiring plan for the evil genius programme', source: 'kb/hr/hiring' },
  ],
  initech: [
    { id: 'handbook#0', text: 'Initech TPS reports need the new cover sheet', source: 'kb/ops/tps' },
    { id: 'handbook#1', text: 'Initech revenue projections are confidential', source: 'kb/finance/projections' },
  ],
} as const;

export const strategies: Record<string, () => IsolationStrategy> = {
  'collection-per-tenant': collectionPerTenant,
  'namespace-per-tenant': namespacePerTenant,
  'metadata-filter': metadataFilter,
  'source-prefix': sourcePrefix,
};

export interface QuickstartAnswer {
  strategy: string;
  tenant: string;
  /** What the tenant's whole scope answers to "revenue". */
  hits: { id: string; score: number; source: string | undefined; text: string | undefined }[];
  /** What the tenant's `kb/finance` folder answers. */
  financeHits: string[];
}

/** Writes the three knowledge bases under each strategy and asks every tenant about revenue. */
export async function runQuickstart(createBackend: () => VectorBackend | Promise<VectorBackend>): Promise<QuickstartAnswer[]> {
  const answers: QuickstartAnswer[] = [];
  for (const [strategyName, strategy] of Object.entries(strategies)) {
    const store = await createTenantVectorStore({
      backend: await createBackend(),
      strategy: strategy(),
      dimension: 256,
      embedder: localEmbedder({ dimension: 256 }),
      name: `quickstart_${strategyName.split('-')[0]}`,
    });
    try {
      for (const [tenant, records] of Object.entries(documents)) await store.forTenant(tenant).upsert(records);
      for (const tenant of Object.keys(documents)) {
        const scope = store.forTenant(tenant);
        const hits = await scope.query({ text: 'revenue', topK: 5 });
        const financeHits = await scope.scope('kb/finance').query({ text: 'revenue', topK: 5 });
        answers.push({
          strategy: strategyName,
          tenant,
          hits: hits.map((hit) => ({ id: hit.id, score: hit.score, source: hit.source, text: hit.text })),
          financeHits: financeHits.map((hit) => hit.id),
        });
      }
    } finally {
      await store.close();
    }
  }
  return answers;
}
