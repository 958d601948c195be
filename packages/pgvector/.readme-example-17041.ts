import { createTenantVectorStore } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { pglite } from '@tenantvec/pgvector';

const store = await createTenantVectorStore({
  backend: pglite(),                // PGlite in memory; pglite({ dataDir: './.tenantvec' }) persists it
  strategy: metadataFilter(),
  dimension: 3,
});

const acme = store.forTenant('acme');
await acme.upsert([{ id: 'doc-1', vector: [1, 0, 0], metadata: { type: 'pdf' }, source: 'kb/finance/q4' }]);
console.log(await acme.query({ vector: [1, 0.1, 0], topK: 5, filter: { type: 'pdf' } }));
console.log(await store.forTenant('globex').get('doc-1')); // null: another tenant's id is not there
await store.close();
