import type { StrategyType, TenantVectorStore, VectorBackend } from '@tenantvec/core';

/** Which strategy lays out a collection, read from the name after the store's prefix. */
function layoutOf(rest: string, separator: string): StrategyType | undefined {
  if (rest === 'shared') return 'metadata-filter';
  if (rest === 'paths') return 'source-prefix';
  if (rest === 'partitioned') return 'namespace-per-tenant';
  if (rest.startsWith(`t${separator}`)) return 'collection-per-tenant';
  return undefined;
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
  const rules = backend.capabilities.collectionNames;
  const base = name.replaceAll('_', rules.separator);
  const prefix = `${rules.letterCase === 'lower' ? base.toLowerCase() : base}${rules.separator}`;
  const others = new Map<StrategyType, string[]>();
  for (const collection of await backend.listCollections({ prefix })) {
    const layout = layoutOf(collection.name.slice(prefix.length), rules.separator);
    if (layout === undefined || layout === store.strategy) continue;
    others.set(layout, [...(others.get(layout) ?? []), collection.name]);
  }
  if (others.size === 0) return undefined;
  const found = [...others].map(([layout, names]) => `${layout} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`).join('; ');
  return (
    `this config's strategy (${store.strategy}) finds no tenant, but the backend holds collections of another strategy: ${found}. ` +
    `If the strategy was changed, that data is not visible here: move it with tenantvec migrate, or set the strategy back.`
  );
}
