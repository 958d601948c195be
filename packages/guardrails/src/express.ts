import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { claimedTenantFields, namedTenant, type TenantMiddlewareOptions } from './http-tenant-options.js';
import { assertSameTenant, createTenantResolver } from './resolve-tenant.js';
import { withTenant } from './tenant-context.js';
import { tenantErrorResponse } from './tenant-errors.js';

export type { TenantMiddlewareOptions } from './http-tenant-options.js';

function sendTenantError(response: Response, error: unknown): boolean {
  const answer = tenantErrorResponse(error);
  if (answer === undefined) return false;
  response.status(answer.status).set(answer.headers).json(answer.body);
  return true;
}

/**
 * Resolves the tenant from verified credentials and runs the rest of the request inside
 * `withTenant`. Mount it after the body parser: stream events of a parser mounted later run
 * outside the request's async context. The tenant is also in `res.locals.tenant`.
 */
export function expressTenant(options: TenantMiddlewareOptions): RequestHandler {
  const resolve = createTenantResolver(options);
  const { param, field } = claimedTenantFields(options);
  return (request, response, next) => {
    resolve((name) => request.get(name))
      .then(({ tenant }) => {
        assertSameTenant(tenant, [namedTenant(request.params, param), namedTenant(request.body, field)]);
        response.locals.tenant = tenant;
        return tenant;
      })
      .then(
        (tenant) => withTenant(tenant, () => next()),
        (error: unknown) => {
          if (!sendTenantError(response, error)) next(error);
        },
      );
  };
}

/** Answers 401, 403 and 429 (with Retry-After) for errors raised in handlers; passes on the rest. */
export function expressTenantErrors(): ErrorRequestHandler {
  return (error, _request, response, next) => {
    if (!sendTenantError(response, error)) next(error);
  };
}
