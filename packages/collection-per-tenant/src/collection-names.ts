import { baseNameFor, ConfigurationError, physicalName, type StrategyContext } from '@tenantvec/core/backend';

/** The letter after the separator that ends a store name and starts its tenants' collections. */
const TENANT_MARK = 't';

/**
 * The store-name part of every tenant collection name, ending in `<separator>t`. Store names
 * hold the separator and the letter `t` too (`x_t_y` is a valid store name), so inside the
 * store name each `<separator>t` is written `<separator>tt`: read left to right, the first
 * `<separator>t` followed by anything but `t` is the end of the store name. No store's prefix
 * is then the beginning of another's, so store `x` never lists or opens a collection of store
 * `x_t_y`. Names without `<separator>t`, such as the default `tenantvec`, are unchanged.
 */
export function tenantCollectionPrefix(context: StrategyContext): string {
  const { separator } = context.backend.capabilities.collectionNames;
  const storeName = baseNameFor(context, context.backend.capabilities.collectionNames);
  const marker = `${separator}${TENANT_MARK}`;
  return `${storeName.replaceAll(marker, `${marker}${TENANT_MARK}`)}${marker}`;
}

/** What every tenant collection of this store, and of no other store, starts with. */
export function tenantListingPrefix(context: StrategyContext): string {
  return `${tenantCollectionPrefix(context)}${context.backend.capabilities.collectionNames.separator}`;
}

export function collectionOf(context: StrategyContext, tenantId: string): string {
  return physicalName({ prefix: tenantCollectionPrefix(context), tenantId, rules: context.backend.capabilities.collectionNames });
}

/**
 * Refuses, when the store is made, a store name whose escaped form leaves no room for a tenant
 * collection name on this backend, rather than failing on the first tenant. The name is not
 * echoed: it may come from a config file or an environment variable.
 */
export function assertNamesFit(context: StrategyContext): void {
  try {
    collectionOf(context, 'a');
  } catch (error) {
    if (!ConfigurationError.isInstance(error)) throw error;
    const { maxLength, separator } = context.backend.capabilities.collectionNames;
    throw new ConfigurationError(
      `The store name is too long for collection-per-tenant on the ${context.backend.name} backend: with each '${separator}t' in it ` +
        `written '${separator}tt', it must leave 16 of the backend's ${maxLength} characters for the tenant.`,
    );
  }
}

/**
 * Before this layout, a store name holding `<separator>t` was not escaped. Such a store's
 * tenant collections are then under a name this version never opens: rather than answering
 * every tenant as empty, the store refuses to open and says how to move the data.
 */
export async function assertNoCollectionsOfEarlierLayout(context: StrategyContext): Promise<void> {
  const rules = context.backend.capabilities.collectionNames;
  const earlierPrefix = `${baseNameFor(context, rules)}${rules.separator}${TENANT_MARK}`;
  if (earlierPrefix === tenantCollectionPrefix(context)) return;
  const collections = await context.backend.listCollections({ prefix: `${earlierPrefix}${rules.separator}` });
  const earlier = collections.filter(
    ({ name, tenant }) => tenant !== undefined && name === physicalName({ prefix: earlierPrefix, tenantId: tenant, rules }),
  );
  if (earlier.length === 0) return;
  throw new ConfigurationError(
    `This store's name holds '${rules.separator}t', and ${earlier.length} of its tenant collections are named by the layout of ` +
      `tenantvec before collection names were made prefix-free. Export those tenants with the earlier version ` +
      `(tenantvec export, JSONL) and import them with this one, or drop them, before opening the store.`,
  );
}
