/**
 * collection-per-tenant keeps each index's tenant id in the index's tags, so tenants can be
 * listed back from `list indexes` alone. Tag values hold at most 120 characters and tenant ids
 * up to 128, so a long id is split over two tags.
 */
const TENANT_TAG = 'tenantvec_tenant';
const TENANT_TAG_REST = 'tenantvec_tenant_2';
const MAX_TAG_VALUE = 120;

export function tagsForTenant(tenant: string): Record<string, string> {
  const tags: Record<string, string> = { [TENANT_TAG]: tenant.slice(0, MAX_TAG_VALUE) };
  if (tenant.length > MAX_TAG_VALUE) tags[TENANT_TAG_REST] = tenant.slice(MAX_TAG_VALUE);
  return tags;
}

export function tenantFromTags(tags: Record<string, string> | undefined): string | undefined {
  const head = tags?.[TENANT_TAG];
  if (head === undefined) return undefined;
  return head + (tags?.[TENANT_TAG_REST] ?? '');
}

/**
 * A dotproduct index remembers the `keywordAverageLength` its sparse values were written with:
 * records written under another value would be normalised differently, and their keyword scores
 * would not compare. Indexes made before the tag, or by hand, carry none and are taken as they are.
 */
const KEYWORD_LENGTH_TAG = 'tenantvec_keyword_length';

export function tagsForKeywordLength(averageLength: number): Record<string, string> {
  return { [KEYWORD_LENGTH_TAG]: String(averageLength) };
}

export function keywordLengthFromTags(tags: Record<string, string> | undefined): number | undefined {
  const value = tags?.[KEYWORD_LENGTH_TAG];
  return value === undefined || !/^\d+$/.test(value) ? undefined : Number(value);
}
