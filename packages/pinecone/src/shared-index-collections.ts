import type { Pinecone } from '@pinecone-database/pinecone';
import { BackendError } from '@tenantvec/core';
import { type CollectionInfo, type CollectionSpec } from '@tenantvec/core/backend';
import { COLLECTION_CATALOG, metricOf, unitVector, type OpenIndex } from './open-index.js';
import { PAGE, type PineconeRequests } from './pinecone-requests.js';
import { systemField } from './system-fields.js';

type BaseIndex = Omit<OpenIndex, 'collection' | 'inSharedIndex'>;

/**
 * Collections kept in the one configured index (`indexName`/`indexHost`): each is a group of
 * namespaces named after it, listed with its spec in the `COLLECTION_CATALOG` namespace.
 */
export class SharedIndexCollections {
  private base: Promise<BaseIndex> | undefined;

  constructor(
    private readonly client: Pinecone,
    private readonly requests: PineconeRequests,
    private readonly configured: { name?: string; host?: string },
    private readonly hostUrl: (host: string) => string,
  ) {}

  /** The configured index, described once: its host, dimension and metric. */
  private baseIndex(): Promise<BaseIndex> {
    this.base ??= (async () => {
      const { name, host } = this.configured;
      if (host !== undefined) {
        const index = this.client.index({ host: this.hostUrl(host), ...(name === undefined ? {} : { name }) });
        const stats = await this.requests.call('describe index stats', () => index.describeIndexStats());
        return { index, dimension: stats.dimension ?? 0, metric: metricOf((stats as { metric?: string }).metric) };
      }
      const model = await this.requests.call('describe index', () => this.client.describeIndex(name!));
      return { index: this.client.index({ name: name!, host: this.hostUrl(model.host) }), dimension: model.dimension ?? 0, metric: metricOf(model.metric) };
    })();
    this.base.catch(() => (this.base = undefined));
    return this.base;
  }

  async open(collection: string): Promise<OpenIndex | undefined> {
    const base = await this.baseIndex();
    const found = await this.requests.call('fetch', () => base.index.namespace(COLLECTION_CATALOG).fetch({ ids: [collection] }));
    return found.records[collection] === undefined ? undefined : { ...base, collection, inSharedIndex: true };
  }

  async ensure(spec: CollectionSpec): Promise<void> {
    const base = await this.baseIndex();
    if (base.dimension !== spec.dimension || base.metric !== spec.metric) {
      throw new BackendError(
        `The configured Pinecone index has dimension ${base.dimension} and metric ${base.metric}; this store needs ${spec.dimension} and ${spec.metric}.`,
      );
    }
    if ((await this.open(spec.name)) !== undefined) return;
    const metadata = { [systemField.collection]: spec.partitioned ? 'partitioned' : 'shared', ...(spec.tenant === undefined ? {} : { [systemField.tenant]: spec.tenant }) };
    const catalogue = base.index.namespace(COLLECTION_CATALOG);
    await this.requests.call('upsert', () => catalogue.upsert({ records: [{ id: spec.name, values: unitVector(base.dimension), metadata }] }));
    await this.requests.waitUntil('new collection', async () => (await this.requests.call('fetch', () => catalogue.fetch({ ids: [spec.name] }))).records[spec.name] !== undefined);
  }

  /** Removes every namespace of an open collection, then its catalogue entry. */
  async drop(open: OpenIndex): Promise<void> {
    const { collection } = open;
    const doomed = [collection];
    let token: string | undefined;
    do {
      const page = await this.requests.call('list namespaces', () =>
        open.index.listNamespaces({ prefix: `${collection}.`, limit: 100, ...(token === undefined ? {} : { paginationToken: token }) }),
      );
      for (const namespace of page.namespaces ?? []) if (namespace.name !== undefined) doomed.push(namespace.name);
      token = page.pagination?.next;
    } while (token !== undefined && token !== '');
    for (const namespace of doomed) await this.requests.orEmpty('delete namespace', () => open.index.deleteNamespace(namespace), undefined);
    await this.requests.deleteIgnoringMissing(() => open.index.namespace(COLLECTION_CATALOG).deleteOne({ id: collection }));
    await this.requests.waitUntil('collection removal', async () => {
      const seen = await this.requests.call('fetch', () => open.index.namespace(COLLECTION_CATALOG).fetch({ ids: [collection] }));
      return seen.records[collection] === undefined;
    });
  }

  async list(prefix: string): Promise<CollectionInfo[]> {
    const open: OpenIndex = { ...(await this.baseIndex()), collection: '', inSharedIndex: true };
    const collections: CollectionInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.requests.pageOf(open, COLLECTION_CATALOG, { [systemField.collection]: { $exists: true } }, PAGE, token);
      for (const record of page.records) {
        if (!record.id.startsWith(prefix)) continue;
        const tenant = record.metadata?.[systemField.tenant];
        collections.push(typeof tenant === 'string' ? { name: record.id, tenant } : { name: record.id });
      }
      token = page.next;
    } while (token !== undefined);
    return collections;
  }
}
