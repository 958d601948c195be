import { AsyncLocalStorage } from 'node:async_hooks';
import { assertValidTenantId, type TenantScope, type TenantVectorStore } from '@tenantvec/core';
import { TenantAuthenticationError } from './tenant-errors.js';

const tenantStorage = new AsyncLocalStorage<string>();

/** Runs `fn` with `tenantId` as the current tenant of everything it awaits or schedules. */
export function withTenant<T>(tenantId: string, fn: () => T): T {
  // Validated here too, so a bad id fails where it enters rather than deep inside a handler.
  assertValidTenantId(tenantId);
  return tenantStorage.run(tenantId, fn);
}

/** The tenant of the current request, or undefined outside `withTenant`. */
export function currentTenant(): string | undefined {
  return tenantStorage.getStore();
}

/** The tenant of the current request; throws `TenantAuthenticationError` (401) outside `withTenant`. */
export function requireTenant(): string {
  const tenant = tenantStorage.getStore();
  if (tenant === undefined) throw new TenantAuthenticationError('No authenticated tenant for this request.', { code: 'NO_TENANT_CONTEXT' });
  return tenant;
}

/** The current tenant's scope of `store`, so handlers never pass a tenant id by hand. */
export function scopeFor(store: Pick<TenantVectorStore, 'forTenant'>): TenantScope {
  return store.forTenant(requireTenant());
}
