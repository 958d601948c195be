import { randomUUID } from 'node:crypto';
import type { DocumentInterface } from '@langchain/core/documents';
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { VectorStore, type VectorStoreRetriever } from '@langchain/core/vectorstores';
import { InvalidArgumentError, type Filter, type IngestResult, type Metadata, type SplitterSettings, type TenantScope } from '@tenantvec/core';
import { fromStoredMetadata, toScopeFilter, toStoredMetadata } from './langchain-metadata.js';

export interface TenantScopedVectorStoreArgs {
  /** The one tenant (or source folder of a tenant) this store reads and writes. */
  scope: TenantScope;
}

/**
 * A LangChain.js vector store bound to one `TenantScope` for its whole life. Every read, write
 * and delete goes through the scope, so a chain, agent or retriever built on it cannot reach
 * another tenant, whatever ids or filters it passes.
 */
export class TenantScopedVectorStore extends VectorStore {
  declare FilterType: Filter;
  readonly scope: TenantScope;

  constructor(embeddings: EmbeddingsInterface, args: TenantScopedVectorStoreArgs) {
    super(embeddings, {});
    if (typeof args?.scope?.query !== 'function') throw new InvalidArgumentError('TenantScopedVectorStore needs a TenantScope: store.forTenant(id).');
    this.scope = args.scope;
  }

  _vectorstoreType(): string {
    return 'tenantvec';
  }

  /** Writes documents with their vectors; ids come from `options.ids`, then `document.id`, else new UUIDs. */
  async addVectors(vectors: number[][], documents: DocumentInterface[], options?: { ids?: string[] }): Promise<string[]> {
    if (vectors.length !== documents.length) throw new InvalidArgumentError(`Got ${vectors.length} vectors for ${documents.length} documents.`);
    if (options?.ids !== undefined && options.ids.length !== documents.length) throw new InvalidArgumentError(`Got ${options.ids.length} ids for ${documents.length} documents.`);
    const ids = documents.map((document, index) => options?.ids?.[index] ?? document.id ?? randomUUID());
    if (documents.length === 0) return [];
    await this.scope.upsert(documents.map((document, index) => ({
      id: ids[index]!,
      vector: vectors[index]!,
      text: document.pageContent,
      metadata: toStoredMetadata(document.metadata) as Metadata,
    })));
    return ids;
  }

  async addDocuments(documents: DocumentInterface[], options?: { ids?: string[] }): Promise<string[]> {
    const vectors = await this.embeddings.embedDocuments(documents.map((document) => document.pageContent));
    return this.addVectors(vectors, documents, options);
  }

  /**
   * Whole documents (as loaders give them, before any splitter): each is cut, embedded by the
   * store's embedder (see `langchainEmbedder`) and written as one document of the scope, keyed by
   * `document.id` or else its loader's `metadata.source`. Ingesting them again costs nothing for
   * those unchanged; a changed one replaces its old chunks without a moment of mixed versions.
   */
  async ingestDocuments(documents: DocumentInterface[], options: { splitter?: SplitterSettings } = {}): Promise<IngestResult[]> {
    if (documents.length === 0) return [];
    const { results } = await this.scope.ingestMany({
      documents: documents.map((document, index) => {
        const documentId = document.id ?? document.metadata?.source;
        if (typeof documentId !== 'string' || documentId === '') {
          throw new InvalidArgumentError(`Document #${index} needs an id or a metadata.source to be ingested as a whole document.`);
        }
        return {
          documentId,
          text: document.pageContent,
          metadata: toStoredMetadata(document.metadata) as Metadata,
          ...(options.splitter === undefined ? {} : { splitter: options.splitter }),
        };
      }),
    });
    return results;
  }

  /** The `k` most similar documents of this scope with their similarity (higher is better). */
  async similaritySearchVectorWithScore(query: number[], k: number, filter?: Filter): Promise<[DocumentInterface, number][]> {
    const scopeFilter = toScopeFilter(filter);
    const matches = await this.scope.query({ vector: query, topK: k, ...(scopeFilter === undefined ? {} : { filter: scopeFilter }) });
    return matches.map((match) => [
      new Document({ id: match.id, pageContent: match.text ?? '', metadata: fromStoredMetadata(match.metadata) }),
      match.score,
    ]);
  }

  /** Deletes by `ids` or by `filter`, within this scope only. Deleting everything is `store.dropTenant`. */
  override async delete(params?: { ids?: string[]; filter?: Filter }): Promise<void> {
    if (params?.ids !== undefined && params.filter === undefined) {
      if (params.ids.length > 0) await this.scope.delete({ ids: params.ids });
      return;
    }
    if (params?.filter !== undefined && params.ids === undefined) {
      await this.scope.delete({ filter: toScopeFilter(params.filter)! });
      return;
    }
    throw new InvalidArgumentError('delete takes exactly one of { ids } or { filter }.');
  }

  static override async fromDocuments(documents: DocumentInterface[], embeddings: EmbeddingsInterface, args: TenantScopedVectorStoreArgs): Promise<TenantScopedVectorStore> {
    const store = new TenantScopedVectorStore(embeddings, args);
    await store.addDocuments(documents);
    return store;
  }

  static override async fromTexts(texts: string[], metadatas: object[] | object, embeddings: EmbeddingsInterface, args: TenantScopedVectorStoreArgs): Promise<TenantScopedVectorStore> {
    const documents = texts.map((pageContent, index) => new Document({
      pageContent,
      metadata: (Array.isArray(metadatas) ? metadatas[index] : metadatas) as Record<string, unknown> | undefined ?? {},
    }));
    return TenantScopedVectorStore.fromDocuments(documents, embeddings, args);
  }
}

/** A LangChain retriever over one tenant scope: `tenantRetriever({ scope, embeddings, k: 4 }).invoke(question)`. */
export function tenantRetriever(params: TenantScopedVectorStoreArgs & { embeddings: EmbeddingsInterface; k?: number; filter?: Filter }): VectorStoreRetriever<TenantScopedVectorStore> {
  const store = new TenantScopedVectorStore(params.embeddings, { scope: params.scope });
  return store.asRetriever({ k: params.k ?? 4, ...(params.filter === undefined ? {} : { filter: params.filter }) });
}
