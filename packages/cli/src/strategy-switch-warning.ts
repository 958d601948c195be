import { tenantListingPrefix } from '@tenantvec/collection-per-tenant';
import { type StrategyType, type TenantVectorStore, type VectorBackend } from '@tenantvec/core';
import { baseNameFor, sharedCollectionName, type StrategyContext } from '@tenantvec/core/backend';

// The one collection each shared-collection strategy makes, by the purpose it names it for.
const sharedPurposes = [
  ['metadata-filter', 'shared'],
  ['source-prefix', 'paths'],
  ['namespace-per-tenant', 'partitioned'],
] as const;

/**
 * The collections of this store name on the backend, by the strategy that made them, named by
 * the strategies' own functions: collection-per-tenant escapes a store name holding `_t`, and a
 * prefix derived here instead would miss its collections.
 */
async function collectionsByStrategy(context: StrategyContext): Promise<Map<StrategyType, string[]>> {
  const found = new Map<StrategyType, string[]>();
  const tenantCollections = await context.backend.listCollections({ prefix: tenantListingPrefix(context) });
  if (tenantCollections.length > 0) found.set('collection-per-tenant', tenantCollections.map(({ name }) => name));
  const rules = context.backend.capabilities.collectionNames;
  const listed = await context.backend.listCollections({ prefix: `${baseNameFor(context, rules)}${rules.separator}` });
  const existing = new Set(listed.map(({ name }) => name));
  for (const [strategy, purpose] of sharedPurposes) {
    const name = sharedCollectionName(context, purpose);
    if (existing.has(name)) found.set(strategy, [name]);
  }
  return found;
}

/**
 * Says so when the store's strategy finds no tenant but the backend holds collections another
 * strategy of the same store name made. It only reads names: it cannot tell whether they hold
 * records, and says that much.
 */
export async function strategySwitchWarning(params: { store: TenantVectorStore; backend: VectorBackend; name: string }): Promise<string | undefined> {
  const { store, backend, name } = params;
  const { tenants } = await store.listTenants({ limit: 1 });
  if (tenants.length > 0) return undefined;
  const context: StrategyContext = { backend, baseName: name, dimension: store.dimension, metric: store.metric };
  const others = [...(await collectionsByStrategy(context))].filter(([strategy]) => strategy !== store.strategy);
  if (others.length === 0) return undefined;
  const found = others.map(([layout, names]) => `${layout} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`).join('; ');
  return (
    `this config's strategy (${store.strategy}) finds no tenant, but the backend holds collections of another strategy: ${found}. ` +
    `If the strategy was changed, that data is not visible here: move it with tenantvec migrate, or set the strategy back.`
  );
}
