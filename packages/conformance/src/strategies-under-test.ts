import type { IsolationStrategy, StrategyType } from '@tenantvec/core';
import { collectionPerTenant } from '@tenantvec/collection-per-tenant';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { namespacePerTenant } from '@tenantvec/namespace-per-tenant';
import { sourcePrefix } from '@tenantvec/source-prefix';

export const strategiesUnderTest: { name: StrategyType; create(): IsolationStrategy }[] = [
  { name: 'collection-per-tenant', create: collectionPerTenant },
  { name: 'namespace-per-tenant', create: namespacePerTenant },
  { name: 'metadata-filter', create: metadataFilter },
  { name: 'source-prefix', create: sourcePrefix },
];
