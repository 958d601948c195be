import { InvalidFilterError, type Filter, type Metadata } from '@tenantvec/core';

/**
 * LangChain loaders put the document's origin in `metadata.source`; tenantvec reserves `source`
 * for its own folder paths. The origin is kept under this key and handed back as `source`.
 */
export const DOCUMENT_SOURCE_KEY = 'document_source';

/**
 * LangChain metadata as tenantvec metadata: `source` renamed, nested objects flattened with '_'
 * (a splitter's `loc.lines.from` becomes `loc_lines_from`), null and undefined dropped. Anything
 * else tenantvec cannot store is refused by the scope with the item and key named.
 */
export function toStoredMetadata(metadata: Record<string, unknown> | undefined): Record<string, unknown> {
  const stored: Record<string, unknown> = {};
  const visit = (value: unknown, key: string) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value)) visit(innerValue, `${key}_${inner}`);
      return;
    }
    stored[key] = value;
  };
  for (const [key, value] of Object.entries(metadata ?? {})) visit(value, key === 'source' ? DOCUMENT_SOURCE_KEY : key);
  return stored;
}

export function fromStoredMetadata(metadata: Metadata): Record<string, unknown> {
  const { [DOCUMENT_SOURCE_KEY]: source, ...rest } = metadata;
  return source === undefined ? { ...rest } : { ...rest, source };
}

/**
 * A LangChain filter in tenantvec's filter language, with `source` renamed as in metadata. It
 * stays a filter the scope validates and ANDs under its walls: naming `tenant`, `id` or any
 * other reserved field is refused, so no filter can widen the scope.
 */
export function toScopeFilter(filter: unknown): Filter | undefined {
  if (filter === undefined || filter === null) return undefined;
  if (typeof filter !== 'object' || Array.isArray(filter)) {
    throw new InvalidFilterError('A filter must be a tenantvec filter object, such as { type: "pdf" }.');
  }
  const rename = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rename);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [
      key === 'source' ? DOCUMENT_SOURCE_KEY : key,
      key === '$and' || key === '$or' || key === '$not' ? rename(value) : value,
    ]));
  };
  return rename(filter) as Filter;
}
