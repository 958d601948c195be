import type { RecordInput, TenantRecord, TenantScope } from '@tenantvec/core';

export interface CopyProgress {
  /** Records copied so far, counting any copied before a resume. */
  copied: number;
  /** The export cursor after the last page written: resume from it. */
  next?: string;
}

function asInput(record: TenantRecord): RecordInput {
  return {
    id: record.id,
    vector: record.vector,
    metadata: record.metadata,
    ...(record.text === undefined ? {} : { text: record.text }),
    ...(record.source === undefined ? {} : { source: record.source }),
  };
}

/**
 * Copies a tenant's records page by page. Writes are upserts by id, so a copy that failed
 * midway can be rerun from its last reported cursor (or from the start) without duplicates.
 */
export async function copyTenant(params: {
  from: TenantScope;
  to: TenantScope;
  /** Resume after this cursor of an earlier copy. */
  after?: string;
  /** Records copied before the resume point, so progress counts on. */
  alreadyCopied?: number;
  /** @default 500 */
  pageSize?: number;
  /** Called after each page is written; persist `next` here to resume later. */
  onPage?: (progress: CopyProgress) => void | Promise<void>;
}): Promise<{ copied: number }> {
  let copied = params.alreadyCopied ?? 0;
  const pages = params.from.exportPages({ pageSize: params.pageSize ?? 500, ...(params.after === undefined ? {} : { after: params.after }) });
  for await (const page of pages) {
    if (page.records.length > 0) await params.to.upsert(page.records.map(asInput));
    copied += page.records.length;
    await params.onPage?.(page.next === undefined ? { copied } : { copied, next: page.next });
  }
  return { copied };
}
