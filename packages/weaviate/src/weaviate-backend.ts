import { BackendError, ConfigurationError, filterOperators, VECTOR_BACKEND_CONTRACT_VERSION, type BackendCapabilities, type BackendDescription, type BackendCountParams, type BackendDeleteParams, type BackendGetParams, type BackendQueryParams, type BackendScanParams, type CollectionInfo, type CollectionSpec, type ListTenantKeysParams, type Location, type Metric, type PartitionInfo, type ScanPage, type ScopeConstraint, type ScoredRecord, type StoredRecord, type FilterNode, type VectorBackend } from '@tenantvec/core/backend';
import weaviate, { type Collection, type FilterValue, type WeaviateClient } from 'weaviate-client';
import { checkSameShape, createCollection, metadataPropertyConfig, parseDescription, readFacts, type CollectionFacts } from './collection-schema.js';
import { and, propertiesRead, scopeFilter, translateFilter, type Translated } from './filter-to-weaviate.js';
import { insertObjects } from './insert-objects.js';
import { deleteLabel, readLabels, writeLabel } from './partition-catalog.js';
import { objectUuid } from './point-ids.js';
import { recordFromProperties, recordProperties, returnedProperties } from './record-properties.js';
import { withRetry } from './retry.js';
import { openClient } from './weaviate-connection.js';
import { backendError, failureKind } from './weaviate-errors.js';
import { CATALOG_TENANT, collectionNameRules, fromWeaviateCollection, kindOf, metadataProperty, partitionNameRules, systemProperties, toWeaviateCollection } from './weaviate-names.js';
import { checkSettings, describeWeaviate, QUERY_MAXIMUM_RESULTS, type WeaviateBackendSettings } from './weaviate-settings.js';

const MINIMUM_VERSION = [1, 33];

type Handle = Collection;

function similarityOf(metric: Metric, distance: number): number {
  if (metric === 'dot') return -distance;
  if (metric === 'euclidean') return 1 / (1 + Math.sqrt(Math.max(0, distance)));
  return 1 - distance;
}

const byProperty = (name: string) => weaviate.filter.byProperty(name);

/**
 * VectorBackend v1 over Weaviate through weaviate-client v3 (REST for schema and tenants, gRPC
 * for search, batch writes, deletes and counts). A collection is a Weaviate collection; a
 * partition is a native Weaviate tenant (one shard each); the tenant field and source ancestors
 * are filterable text properties matched exactly (`tokenization: field`).
 */
export class WeaviateBackend implements VectorBackend {
  readonly contractVersion = VECTOR_BACKEND_CONTRACT_VERSION;
  readonly name = 'weaviate';
  readonly capabilities: BackendCapabilities;
  private connection?: Promise<{ client: WeaviateClient; owned: boolean }>;
  private readonly facts = new Map<string, CollectionFacts>();
  private warnedAboutCollections = false;
  private collectionsCreated = 0;

  constructor(private readonly settings: WeaviateBackendSettings) {
    checkSettings(settings);
    this.capabilities = {
      collections: true,
      partitions: true,
      maxBatchSize: settings.maxBatchSize ?? 1000,
      maxTopK: Math.min(settings.maxTopK ?? QUERY_MAXIMUM_RESULTS, QUERY_MAXIMUM_RESULTS),
      filterOperators,
      collectionNames: collectionNameRules,
      partitionNames: partitionNameRules,
      readYourWrites: true,
    };
  }

  private client(): Promise<WeaviateClient> {
    const connecting = this.connection ?? (async () => {
      const opened = await openClient(this.settings);
      const meta = await opened.client.getMeta();
      const [major = 0, minor = 0] = String(meta.version).split('.').map(Number);
      if (major < MINIMUM_VERSION[0]! || (major === MINIMUM_VERSION[0] && minor < MINIMUM_VERSION[1]!)) {
        throw new ConfigurationError(`@tenantvec/weaviate needs Weaviate ${MINIMUM_VERSION.join('.')} or newer (Not filters); the server runs ${meta.version}.`);
      }
      return opened;
    })();
    this.connection = connecting;
    // A failed connection is not kept: the next call (or retry) connects again.
    return connecting.then((opened) => opened.client, (error: unknown) => {
      if (this.connection === connecting) this.connection = undefined;
      throw error;
    });
  }

  /** A Weaviate call with retries; failures become BackendErrors. */
  private call<T>(operation: string, run: (client: WeaviateClient) => Promise<T>): Promise<T> {
    return withRetry(async () => {
      try {
        return await run(await this.client());
      } catch (error) {
        throw backendError(operation, error);
      }
    }, this.settings.retry);
  }

  private async factsOf(collection: string, refresh = false): Promise<CollectionFacts | undefined> {
    const cached = this.facts.get(collection);
    if (cached !== undefined && !refresh) return cached;
    const read = await this.call('schema read', (client) => readFacts(client, toWeaviateCollection(collection)));
    if (read === undefined) this.facts.delete(collection);
    else this.facts.set(collection, read);
    return read;
  }

  private handle(client: WeaviateClient, location: Location): Handle {
    const collection = client.collections.use(toWeaviateCollection(location.collection)) as Handle;
    return location.partition === undefined ? collection : collection.withTenant(location.partition);
  }

  /**
   * Runs a data call on a location. Missing collections and tenants read as empty; an inactive
   * tenant is activated and the call retried once, or reported, by `inactiveTenants`.
   */
  private async onLocation<T>(operation: string, location: Location, empty: T | undefined, run: (handle: Handle) => Promise<T>): Promise<T> {
    for (let activated = false; ; activated = true) {
      try {
        return await this.call(operation, (client) => run(this.handle(client, location)));
      } catch (error) {
        const kind = failureKind(error);
        if ((kind === 'missing-collection' || kind === 'missing-tenant') && empty !== undefined) return empty;
        if (kind === 'missing-collection' || kind === 'missing-tenant') throw new BackendError('The location to write to does not exist.', { cause: error });
        if (kind !== 'inactive-tenant' || activated || location.partition === undefined) throw error;
        await this.activate(location);
      }
    }
  }

  private async activate(location: Location): Promise<void> {
    if ((this.settings.inactiveTenants ?? 'activate') === 'error') {
      throw new BackendError("The tenant's Weaviate partition is inactive or offloaded; activate it, or set inactiveTenants: 'activate'.");
    }
    await this.call('tenant activation', (client) => client.collections.use(toWeaviateCollection(location.collection)).tenants.activate(location.partition!));
  }

  /** The scope ANDed with the translated filter, against the collection's current properties. */
  private async whereOf(collection: string, scope: ScopeConstraint, filter: FilterNode | undefined, facts: CollectionFacts): Promise<Translated> {
    let known = facts;
    if ([...propertiesRead(filter)].some((name) => !known.properties.has(name))) {
      // Another writer may have added the property since the schema was cached.
      known = (await this.factsOf(collection, true)) ?? facts;
    }
    return and(scopeFilter(scope), filter === undefined ? true : translateFilter(filter, (name) => known.properties.has(name)));
  }

  async ensureCollection({ collection }: { collection: CollectionSpec }): Promise<void> {
    const weaviateName = toWeaviateCollection(collection.name);
    const existing = await this.factsOf(collection.name, true);
    if (existing !== undefined) return checkSameShape(existing, collection);
    try {
      await this.call('collection creation', (client) => createCollection(client, weaviateName, collection, {
        vectorIndexType: this.settings.vectorIndexType ?? 'hnsw',
        autoTenantActivation: (this.settings.inactiveTenants ?? 'activate') === 'activate',
      }));
    } catch (error) {
      if (failureKind(error) !== 'exists') throw error;
    }
    const created = await this.factsOf(collection.name, true);
    if (created === undefined) throw new BackendError(`Collection ${collection.name} could not be created.`);
    checkSameShape(created, collection);
    if (collection.tenant !== undefined) await this.warnPastCollectionLimit();
  }

  /** Counts collections on the first creation and every 50th after it: listing them all is not free. */
  private async warnPastCollectionLimit(): Promise<void> {
    this.collectionsCreated += 1;
    if (this.warnedAboutCollections || this.collectionsCreated % 50 !== 1) return;
    const threshold = this.settings.collectionWarningThreshold ?? 1000;
    const count = (await this.call('collection listing', (client) => client.collections.listAll())).length;
    if (count <= threshold) return;
    this.warnedAboutCollections = true;
    (this.settings.onWarning ?? console.warn)(
      `Weaviate now holds ${count} collections, past ${threshold}: each costs memory and file handles, and Weaviate caps them (MAXIMUM_ALLOWED_COLLECTIONS_COUNT). Consider namespace-per-tenant (native multi-tenancy).`,
    );
  }

  async dropCollection({ collection }: { collection: string }): Promise<void> {
    this.facts.delete(collection);
    try {
      await this.call('collection deletion', (client) => client.collections.delete(toWeaviateCollection(collection)));
    } catch (error) {
      if (failureKind(error) !== 'missing-collection') throw error;
    }
  }

  async listCollections({ prefix }: { prefix: string }): Promise<CollectionInfo[]> {
    const weaviatePrefix = prefix === '' ? '' : toWeaviateCollection(prefix);
    const all = await this.call('collection listing', (client) => client.collections.listAll());
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
    const tenants = (client: WeaviateClient) => client.collections.use(toWeaviateCollection(collection)).tenants;
    const createTenant = async (name: string) => {
      try {
        await this.call('tenant creation', (client) => tenants(client).create([{ name }]));
      } catch (error) {
        if (failureKind(error) !== 'exists') throw error;
      }
    };
    // The label goes in first: a partition without a label could not be listed back.
    await createTenant(CATALOG_TENANT);
    await this.onLocation('partition labelling', { collection, partition: CATALOG_TENANT }, undefined, (handle) => writeLabel(handle, partition, tenant));
    await createTenant(partition);
  }

  async dropPartition({ collection, partition }: { collection: string; partition: string }): Promise<void> {
    const facts = await this.factsOf(collection);
    if (facts === undefined || !facts.multiTenant) return;
    await this.call('tenant deletion', (client) => client.collections.use(toWeaviateCollection(collection)).tenants.remove([partition]));
    await this.onLocation('partition label deletion', { collection, partition: CATALOG_TENANT }, null, (handle) => deleteLabel(handle, partition));
  }

  async listPartitions({ collection }: { collection: string }): Promise<PartitionInfo[]> {
    const facts = await this.factsOf(collection);
    if (facts === undefined || !facts.multiTenant) return [];
    const tenants = await this.call('tenant listing', (client) => client.collections.use(toWeaviateCollection(collection)).tenants.get());
    const labels = (await this.onLocation('partition label listing', { collection, partition: CATALOG_TENANT }, null, readLabels)) ?? new Map<string, string>();
    return Object.keys(tenants)
      .filter((name) => name !== CATALOG_TENANT && labels.has(name))
      .map((name) => ({ name, tenant: labels.get(name)! }));
  }

  async upsert({ location, records }: { location: Location; records: readonly StoredRecord[] }): Promise<void> {
    if (records.length > this.capabilities.maxBatchSize) throw new BackendError(`More than ${this.capabilities.maxBatchSize} records in one request.`);
    const facts = await this.factsOf(location.collection);
    if (facts === undefined) throw new BackendError('The location to write to does not exist.');
    if (facts.dimension !== undefined && records.some((record) => record.vector.length !== facts.dimension)) {
      throw new BackendError('A vector has the wrong dimension.');
    }
    const unsafe = records.find((record) => Object.values(record.metadata).some((value) => typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)));
    if (unsafe !== undefined) {
      throw new BackendError(`Record ${unsafe.recordId}: Weaviate's int properties and weaviate-client's filters hold integers only up to ±(2^53 - 1).`);
    }
    await this.ensureMetadataProperties(location.collection, facts, records);
    const objects = records.map((record) => ({ id: objectUuid(record.id), properties: recordProperties(record), vectors: [...record.vector] }));
    await this.onLocation('batch write', location, undefined, async (handle) => {
      const failures = await insertObjects(handle, objects);
      if (failures.length === 0) return;
      const first = failures[0]![1].message;
      // Every object failing the same way is a failure of the request, not of its objects.
      if (failures.length === objects.length && failureKind(first) !== 'other') throw new BackendError(first);
      const listed = failures.slice(0, 5).map(([index, failure]) => `#${index} (${records[index]!.recordId}): ${failure.message}`).join('; ');
      throw new BackendError(`Weaviate refused ${failures.length} of ${objects.length} objects (the others were written): ${listed}`);
    });
  }

  /** Adds the typed metadata properties a batch needs; Weaviate runs without auto-schema here. */
  private async ensureMetadataProperties(collection: string, facts: CollectionFacts, records: readonly StoredRecord[]): Promise<void> {
    const needed = new Map<string, ReturnType<typeof kindOf>>();
    for (const record of records) {
      for (const [key, value] of Object.entries(record.metadata)) {
        const kind = kindOf(value);
        const name = metadataProperty(key, kind);
        if (!facts.properties.has(name)) needed.set(name, kind);
      }
    }
    for (const [name, kind] of needed) {
      try {
        await this.call('property creation', (client) => client.collections.use(toWeaviateCollection(collection)).config.addProperty(metadataPropertyConfig(name, kind)));
      } catch (error) {
        if (failureKind(error) !== 'exists') throw error;
      }
      facts.properties.add(name);
    }
  }

  async query(params: BackendQueryParams): Promise<ScoredRecord[]> {
    const facts = await this.factsOf(params.location.collection);
    if (facts === undefined) return [];
    const where = await this.whereOf(params.location.collection, params.scope, params.filter, facts);
    if (where === false) return [];
    const result = await this.onLocation('search', params.location, null, (handle) =>
      handle.query.nearVector([...params.vector], {
        limit: params.topK,
        returnMetadata: ['distance'],
        returnProperties: returnedProperties,
        includeVector: params.includeVectors === true,
        ...(where === true ? {} : { filters: where }),
      }));
    return (result?.objects ?? []).map((object) => {
      const vector = params.includeVectors === true ? (object.vectors as Record<string, number[]>).default : undefined;
      return { ...recordFromProperties(object.properties, vector), score: similarityOf(facts.metric, object.metadata?.distance ?? 0) };
    });
  }

  async get({ location, scope, ids }: BackendGetParams): Promise<StoredRecord[]> {
    if (ids.length === 0) return [];
    const facts = await this.factsOf(location.collection);
    if (facts === undefined) return [];
    const found: StoredRecord[] = [];
    // One search reaches at most QUERY_MAXIMUM_RESULTS objects.
    for (let start = 0; start < ids.length; start += QUERY_MAXIMUM_RESULTS) {
      const chunk = ids.slice(start, start + QUERY_MAXIMUM_RESULTS);
      found.push(...await this.fetch(location, and(scopeFilter(scope), byProperty(systemProperties.id).containsAny([...chunk])), chunk.length));
    }
    return found;
  }

  private async fetch(location: Location, where: Translated, limit: number, after?: string): Promise<StoredRecord[]> {
    const filters = and(where, after === undefined ? true : byProperty(systemProperties.id).greaterThan(after as never));
    if (filters === false) return [];
    const result = await this.onLocation('fetch', location, null, (handle) =>
      handle.query.fetchObjects({
        limit,
        returnProperties: returnedProperties,
        includeVector: true,
        sort: handle.sort.byProperty(systemProperties.id as never, true),
        ...(filters === true ? {} : { filters }),
      }));
    return (result?.objects ?? []).map((object) =>
      recordFromProperties(object.properties, (object.vectors as Record<string, number[]>).default ?? []) as StoredRecord);
  }

  async delete(params: BackendDeleteParams): Promise<void> {
    const facts = await this.factsOf(params.location.collection);
    if (facts === undefined) return;
    const where = params.ids !== undefined
      ? and(scopeFilter(params.scope), params.ids.length === 0 ? false : byProperty(systemProperties.id).containsAny([...params.ids]))
      : await this.whereOf(params.location.collection, params.scope, params.filter, facts);
    if (where === false) return;
    // Batch delete needs a filter: every object has a physical id, so this one matches all.
    const filter: FilterValue = where === true ? byProperty(systemProperties.id).like('*') : where;
    for (;;) {
      const result = await this.onLocation('batch delete', params.location, null, (handle) => handle.data.deleteMany(filter));
      if (result === null) return;
      if (result.failed > 0) throw new BackendError(`Weaviate failed to delete ${result.failed} of ${result.matches} objects.`, { retryable: true });
      if (result.matches < QUERY_MAXIMUM_RESULTS) return;
    }
  }

  async count(params: BackendCountParams): Promise<number> {
    const facts = await this.factsOf(params.location.collection);
    if (facts === undefined) return 0;
    const where = await this.whereOf(params.location.collection, params.scope, params.filter, facts);
    if (where === false) return 0;
    const result = await this.onLocation('count', params.location, null, (handle) =>
      handle.aggregate.overAll(where === true ? {} : { filters: where }));
    return result?.totalCount ?? 0;
  }

  async scan(params: BackendScanParams): Promise<ScanPage> {
    const facts = await this.factsOf(params.location.collection);
    if (facts === undefined) return { records: [] };
    const where = await this.whereOf(params.location.collection, params.scope, params.filter, facts);
    const page = await this.fetch(params.location, where, Math.min(params.limit + 1, QUERY_MAXIMUM_RESULTS), params.after);
    const records = page.slice(0, params.limit);
    return page.length > params.limit ? { records, next: records.at(-1)!.id } : { records };
  }

  /** Distinct keys by skip-scan: one sorted, filtered fetch of one object per key. */
  async listTenantKeys({ collection, key, after, limit }: ListTenantKeysParams): Promise<string[]> {
    const facts = await this.factsOf(collection);
    if (facts === undefined || facts.multiTenant) return [];
    const property = key === 'tenant' ? systemProperties.tenant : systemProperties.sourceRoot;
    const keys: string[] = [];
    let last = after;
    while (keys.length < limit) {
      const result = await this.onLocation('key listing', { collection }, null, (handle) =>
        handle.query.fetchObjects({
          limit: 1,
          returnProperties: [property],
          sort: handle.sort.byProperty(property as never, true),
          filters: last === undefined ? byProperty(property).like('*') : byProperty(property).greaterThan(last as never),
        }));
      const value = result?.objects[0]?.properties[property];
      if (typeof value !== 'string') break;
      keys.push(value);
      last = value;
    }
    return keys;
  }

  describe(): BackendDescription {
    return describeWeaviate(this.settings);
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.facts.clear();
    if (connection === undefined) return;
    const opened = await connection.catch(() => undefined);
    if (opened?.owned === true) await opened.client.close();
  }
}

/** A Weaviate backend; see {@link WeaviateBackend} and the settings' JSDoc. */
export function createWeaviateBackend(settings: WeaviateBackendSettings = {}): WeaviateBackend {
  return new WeaviateBackend(settings);
}
