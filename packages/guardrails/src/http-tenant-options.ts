import type { TenantResolverOptions } from './resolve-tenant.js';

/** Settings shared by the Express, Fastify and Hono middlewares. */
export interface TenantMiddlewareOptions extends TenantResolverOptions {
  /** A route parameter that names the tenant; refused (403) when it differs; `false` skips. @default 'tenantId' */
  tenantParam?: string | false;
  /** A JSON body field that names the tenant; refused (403) when it differs; `false` skips. @default 'tenantId' */
  tenantBodyField?: string | false;
}

/** The route parameter and body field to compare, with defaults applied. */
export function claimedTenantFields(options: TenantMiddlewareOptions): { param: string | false; field: string | false } {
  return { param: options.tenantParam ?? 'tenantId', field: options.tenantBodyField ?? 'tenantId' };
}

/** The value a record names under `key`, if it is an object and `key` is not switched off. */
export function namedTenant(record: unknown, key: string | false): unknown {
  return key !== false && typeof record === 'object' && record !== null && !Array.isArray(record) ? (record as Record<string, unknown>)[key] : undefined;
}
