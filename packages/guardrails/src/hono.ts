import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import { claimedTenantFields, namedTenant, type TenantMiddlewareOptions } from './http-tenant-options.js';
import { assertSameTenant, createTenantResolver } from './resolve-tenant.js';
import { withTenant } from './tenant-context.js';
import { rateLimitHeaders, trackRateLimit } from './rate-limit-headers.js';
import { tenantErrorResponse } from './tenant-errors.js';

export type { TenantMiddlewareOptions } from './http-tenant-options.js';

/** Context variables the middleware sets: `c.get('tenant')`. */
export interface TenantVariables {
  tenant: string;
}

function tenantErrorAnswer(error: unknown, context: Context): Response | undefined {
  const answer = tenantErrorResponse(error);
  return answer === undefined ? undefined : context.json(answer.body, answer.status, answer.headers);
}

async function jsonBody(context: Context): Promise<unknown> {
  if (!(context.req.header('content-type') ?? '').includes('application/json')) return undefined;
  // Hono caches the parsed body, so the handler reads it again for free.
  return context.req.json().catch(() => undefined);
}

/** Resolves the tenant from verified credentials and runs the rest of the request inside `withTenant`. */
export function honoTenant(options: TenantMiddlewareOptions): MiddlewareHandler<{ Variables: TenantVariables }> {
  const resolve = createTenantResolver(options);
  const { param, field } = claimedTenantFields(options);
  return async (context, next) => {
    let tenant: string;
    try {
      ({ tenant } = await resolve((name) => context.req.header(name)));
      const body = field === false ? undefined : await jsonBody(context);
      assertSameTenant(tenant, [namedTenant(context.req.param(), param), namedTenant(body, field)]);
    } catch (error) {
      const answer = tenantErrorAnswer(error, context);
      if (answer === undefined) throw error;
      return answer;
    }
    context.set('tenant', tenant);
    await withTenant(tenant, () => next());
  };
}

/** For `app.onError`: 401, 403 and 429 (with Retry-After) for guardrails errors, 500 otherwise. */
export const honoTenantErrors: ErrorHandler = (error, context) =>
  tenantErrorAnswer(error, context) ?? context.json({ error: 'internal', message: 'Internal error.' }, 500);

/**
 * Adds `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (IETF draft) to every
 * response whose request ran a store operation under a requests-per-minute limit, 429s included.
 * Mount it before the routes.
 */
export function honoRateLimitHeaders(): MiddlewareHandler {
  return async (context, next) => {
    const { window } = await trackRateLimit(() => next());
    if (window === undefined) return;
    for (const [name, value] of Object.entries(rateLimitHeaders(window))) context.res.headers.set(name, value);
  };
}
