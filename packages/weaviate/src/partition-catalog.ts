import { BackendError } from '@tenantvec/core/backend';
import weaviate, { type Collection } from 'weaviate-client';
import { objectUuid } from './point-ids.js';
import { systemProperties } from './weaviate-names.js';

/**
 * Weaviate tenants carry no metadata, so each multi-tenant collection keeps its partitions'
 * labels (the exact tenantvec tenant id) as objects of a reserved Weaviate tenant, `tv_catalog`:
 * one object per partition, no vector. These helpers run on that tenant's handle.
 */
const PAGE = 1000;
const byId = () => weaviate.filter.byProperty(systemProperties.id);

export async function writeLabel(catalog: Collection, partition: string, tenant: string): Promise<void> {
  const result = await catalog.data.insertMany([{
    id: objectUuid(partition),
    properties: {
      [systemProperties.id]: partition,
      [systemProperties.recordId]: partition,
      [systemProperties.tenant]: tenant,
      [systemProperties.metadata]: '{}',
      [systemProperties.keys]: [],
    },
  }]);
  if (result.hasErrors) throw new BackendError(`Weaviate refused the label of partition ${partition}: ${Object.values(result.errors)[0]?.message ?? ''}`);
}

export async function deleteLabel(catalog: Collection, partition: string): Promise<void> {
  await catalog.data.deleteMany(byId().equal(partition));
}

/** Partition name → tenant id, read a sorted page at a time. */
export async function readLabels(catalog: Collection): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  let after: string | undefined;
  for (;;) {
    const page = await catalog.query.fetchObjects({
      limit: PAGE,
      returnProperties: [systemProperties.id, systemProperties.tenant],
      sort: catalog.sort.byProperty(systemProperties.id as never, true),
      ...(after === undefined ? {} : { filters: byId().greaterThan(after as never) }),
    });
    for (const object of page.objects) labels.set(String(object.properties[systemProperties.id]), String(object.properties[systemProperties.tenant]));
    if (page.objects.length < PAGE) return labels;
    after = String(page.objects.at(-1)!.properties[systemProperties.id]);
  }
}
