import type { TenantResolverOptions } from './resolve-tenant.js';

/** Settings shared by the Express, Fastify and Hono middlewares. */
export interface TenantMiddlewareOptions extends TenantResolverOptions {
  /** A route parameter that names the tenant; refused (403) when it differs. @default 'tenantId' */
  tenantParam?: string;
  /** A JSON body field that names the tenant; refused (403) when it differs. @default 'tenantId' */
  tenantBodyField?: string;
}

/** The tenant a parsed JSON body names, if it is an object that names one. */
export function bodyTenant(body: unknown, field: string): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[field] : undefined;
}
