import { collectionPerTenant } from '@tenantvec/collection-per-tenant';
import type { IsolationStrategy, StrategyType } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { namespacePerTenant } from '@tenantvec/namespace-per-tenant';
import { sourcePrefix } from '@tenantvec/source-prefix';

export const strategyFactories: Record<StrategyType, () => IsolationStrategy> = {
  'collection-per-tenant': collectionPerTenant,
  'namespace-per-tenant': namespacePerTenant,
  'metadata-filter': metadataFilter,
  'source-prefix': sourcePrefix,
};
