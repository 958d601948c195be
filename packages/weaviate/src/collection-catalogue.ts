import { BackendError } from '@tenantvec/core';
import { assertSameCollection, emptyWhenMissing, type CollectionInfo, type CollectionSpec, type PartitionInfo } from '@tenantvec/core/backend';
import weaviate, { type Collection, type WeaviateClient } from 'weaviate-client';
import { createCollection, parseDescription, readFacts, type CollectionFacts } from './collection-schema.js';
import { objectUuid } from './point-ids.js';
import { failureKind } from './weaviate-errors.js';
import { CATALOG_TENANT, fromWeaviateCollection, systemProperties, toWeaviateCollection } from './weaviate-names.js';
import type { WeaviateRequests } from './weaviate-requests.js';
import type { WeaviateBehaviourSettings } from './weaviate-settings.js';

const PAGE = 1000;
const byId = () => weaviate.filter.byProperty(systemProperties.id);

async function writeLabel(catalog: Collection, partition: string, tenant: string): Promise<void> {
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

async function deleteLabel(catalog: Collection, partition: string): Promise<void> {
  await catalog.data.deleteMany(byId().equal(partition));
}

/** Partition name → tenant id, read a sorted page at a time. */
async function readLabels(catalog: Collection): Promise<Map<string, string>> {
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

/** Fails unless an existing collection has the spec's dimension, metric and partitioning. */
function assertSameShape(facts: CollectionFacts, spec: CollectionSpec): void {
  assertSameCollection({ existing: { ...(facts.dimension === undefined ? {} : { dimension: facts.dimension }), metric: facts.metric, partitioned: facts.multiTenant }, wanted: spec });
}

/** Runs a create, treating "it exists already" as done. */
async function creatingOnce(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (failureKind(error) !== 'exists') throw error;
  }
}

/**
 * Which collections and partitions exist, with what spec and for which tenant. A collection keeps
 * its spec and tenant in its description; a partition is a native tenant. Weaviate tenants carry
 * no metadata, so each multi-tenant collection keeps its partitions' labels (the exact tenantvec
 * tenant id) as objects of a reserved Weaviate tenant, `tv_catalog`: one object per partition,
 * no vector. Caches each collection's schema facts.
 */
export class CollectionCatalogue {
  private readonly facts = new Map<string, CollectionFacts>();
  private warnedAboutCollections = false;
  private collectionsCreated = 0;

  constructor(
    private readonly settings: WeaviateBehaviourSettings,
    private readonly requests: WeaviateRequests,
  ) {}

  /** The collection's schema facts, cached unless `refresh`; undefined when it does not exist. */
  async factsOf(collection: string, refresh = false): Promise<CollectionFacts | undefined> {
    const cached = this.facts.get(collection);
    if (cached !== undefined && !refresh) return cached;
    const read = await this.requests.call('schema read', (client) => readFacts(client, toWeaviateCollection(collection)));
    if (read === undefined) this.facts.delete(collection);
    else this.facts.set(collection, read);
    return read;
  }

  async ensureCollection({ collection }: { collection: CollectionSpec }): Promise<void> {
    const weaviateName = toWeaviateCollection(collection.name);
    const existing = await this.factsOf(collection.name, true);
    if (existing !== undefined) return assertSameShape(existing, collection);
    await creatingOnce(() => this.requests.call('collection creation', (client) => createCollection(client, weaviateName, collection, {
      vectorIndexType: this.settings.vectorIndexType ?? 'hnsw',
      autoTenantActivation: (this.settings.inactiveTenants ?? 'activate') === 'activate',
    })));
    const created = await this.factsOf(collection.name, true);
    if (created === undefined) throw new BackendError(`Collection ${collection.name} could not be created.`);
    assertSameShape(created, collection);
    if (collection.tenant !== undefined) await this.warnPastCollectionLimit();
  }

  /** Counts collections on the first creation and every 50th after it: listing them all is not free. */
  private async warnPastCollectionLimit(): Promise<void> {
    this.collectionsCreated += 1;
    if (this.warnedAboutCollections || this.collectionsCreated % 50 !== 1) return;
    const threshold = this.settings.collectionWarningThreshold ?? 1000;
    const count = (await this.requests.call('collection listing', (client) => client.collections.listAll())).length;
    if (count <= threshold) return;
    this.warnedAboutCollections = true;
    (this.settings.onWarning ?? console.warn)(
      `Weaviate now holds ${count} collections, past ${threshold}: each costs memory and file handles, and Weaviate caps them (MAXIMUM_ALLOWED_COLLECTIONS_COUNT). Consider namespace-per-tenant (native multi-tenancy).`,
    );
  }

  async dropCollection({ collection }: { collection: string }): Promise<void> {
    this.facts.delete(collection);
    const isMissingCollection = (error: unknown) => failureKind(error) === 'missing-collection';
    await emptyWhenMissing({ run: () => this.requests.call('collection deletion', (client) => client.collections.delete(toWeaviateCollection(collection))), isMissing: isMissingCollection, empty: undefined });
  }

  async listCollections({ prefix }: { prefix: string }): Promise<CollectionInfo[]> {
    const weaviatePrefix = prefix === '' ? '' : toWeaviateCollection(prefix);
    const all = await this.requests.call('collection listing', (client) => client.collections.listAll());
    return all
      .filter((config) => config.name.startsWith(weaviatePrefix) && /^[A-Z]/.test(config.name))
      .map((config) => {
        const tenant = parseDescription(config.description).tenant;
        const name = fromWeaviateCollection(config.name);
        return tenant === undefined ? { name } : { name, tenant };
      });
  }

  async ensurePartition({ collection, partition, tenant }: { collection: string; partition: string; tenant: string }): Promise<void> {
    const facts = await this.factsOf(collection);
    if (facts === undefined) throw new BackendError(`Collection ${collection} does not exist.`);
    if (!facts.multiTenant) throw new BackendError(`Collection ${collection} is not partitioned.`);
    const createTenant = (name: string) => creatingOnce(() => this.requests.call('tenant creation', (client) => tenantsOf(client, collection).create([{ name }])));
    // The label goes in first: a partition without a label could not be listed back.
    await createTenant(CATALOG_TENANT);
    await this.requests.onLocation('partition labelling', { collection, partition: CATALOG_TENANT }, undefined, (handle) => writeLabel(handle, partition, tenant));
    await createTenant(partition);
  }

  async dropPartition({ collection, partition }: { collection: string; partition: string }): Promise<void> {
    const facts = await this.factsOf(collection);
    if (facts === undefined || !facts.multiTenant) return;
    await this.requests.call('tenant deletion', (client) => tenantsOf(client, collection).remove([partition]));
    await this.requests.onLocation('partition label deletion', { collection, partition: CATALOG_TENANT }, null, (handle) => deleteLabel(handle, partition));
  }

  async listPartitions({ collection }: { collection: string }): Promise<PartitionInfo[]> {
    const facts = await this.factsOf(collection);
    if (facts === undefined || !facts.multiTenant) return [];
    const tenants = await this.requests.call('tenant listing', (client) => tenantsOf(client, collection).get());
    const labels = (await this.requests.onLocation('partition label listing', { collection, partition: CATALOG_TENANT }, null, readLabels)) ?? new Map<string, string>();
    return Object.keys(tenants)
      .filter((name) => name !== CATALOG_TENANT && labels.has(name))
      .map((name) => ({ name, tenant: labels.get(name)! }));
  }

  clear(): void {
    this.facts.clear();
  }
}

const tenantsOf = (client: WeaviateClient, collection: string) => client.collections.use(toWeaviateCollection(collection)).tenants;
