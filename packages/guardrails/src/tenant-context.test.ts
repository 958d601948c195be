import { createTenantVectorStore, memoryBackend } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { describe, expect, it } from 'vitest';
import { currentTenant, requireTenant, scopeFor, withTenant } from './tenant-context.js';
import { TenantAuthenticationError } from './tenant-errors.js';

describe('tenant context', () => {
  it('follows each request through awaits and timers without leaking into a parallel one', async () => {
    const seen = await Promise.all(['acme', 'globex'].map((tenant) => withTenant(tenant, async () => {
      await new Promise((resolve) => setTimeout(resolve, tenant === 'acme' ? 20 : 5));
      const afterTimer = currentTenant();
      await Promise.resolve();
      return [afterTimer, requireTenant()];
    })));
    expect(seen).toEqual([['acme', 'acme'], ['globex', 'globex']]);
    expect(currentTenant()).toBeUndefined();
  });

  it('refuses to run without a tenant, and refuses invalid ids where they enter', () => {
    expect(() => requireTenant()).toThrow(TenantAuthenticationError);
    expect(() => withTenant('acme/../globex', () => 1)).toThrow(expect.objectContaining({ code: 'INVALID_TENANT_ID' }));
  });

  it('hands out the current tenant\'s scope, so a handler never names a tenant', async () => {
    const store = await createTenantVectorStore({ backend: memoryBackend(), strategy: metadataFilter(), dimension: 2 });
    await withTenant('acme', () => scopeFor(store).upsert([{ id: 'a', vector: [1, 0] }]));
    expect(await withTenant('acme', () => scopeFor(store).get('a'))).not.toBeNull();
    expect(await withTenant('globex', () => scopeFor(store).get('a'))).toBeNull();
    expect(() => scopeFor(store)).toThrow(TenantAuthenticationError);
  });
});
