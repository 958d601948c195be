import { createTenantVectorStore, readStoreConfig } from '@tenantvec/core';

/** A support-desk search: each customer company searches only its own tickets. */
const tickets = {
  northwind: [
    { id: 'T-1', text: 'Invoice total is wrong after the discount was applied', metadata: { area: 'billing' } },
    { id: 'T-2', text: 'Cannot reset my password from the login page', metadata: { area: 'account' } },
  ],
  contoso: [
    { id: 'T-1', text: 'Refund for a duplicate invoice charge', metadata: { area: 'billing' } },
    { id: 'T-2', text: 'Export of reports to spreadsheet fails', metadata: { area: 'reports' } },
  ],
};

export interface AppAnswer {
  tenant: string;
  question: string;
  answers: string[];
}

/** The app never names a strategy: the config file decides. */
export async function runSupportApp(configFile: string): Promise<{ strategy: string; answers: AppAnswer[] }> {
  const store = await createTenantVectorStore((await readStoreConfig(configFile)) as never);
  try {
    for (const [tenant, records] of Object.entries(tickets)) await store.forTenant(tenant).upsert(records);
    const answers: AppAnswer[] = [];
    for (const tenant of Object.keys(tickets)) {
      for (const question of ['invoice problem', 'password']) {
        const hits = await store.forTenant(tenant).query({ text: question, topK: 1, filter: { area: { $in: ['billing', 'account'] } } });
        answers.push({ tenant, question, answers: hits.map((hit) => `${hit.id}: ${hit.text}`) });
      }
    }
    return { strategy: store.strategy, answers };
  } finally {
    await store.close();
  }
}
