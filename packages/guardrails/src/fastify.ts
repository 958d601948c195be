import type { FastifyError, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { claimedTenantFields, namedTenant, type TenantMiddlewareOptions } from './http-tenant-options.js';
import { assertSameTenant, createTenantResolver } from './resolve-tenant.js';
import { withTenant } from './tenant-context.js';
import { tenantErrorResponse } from './tenant-errors.js';

export type { TenantMiddlewareOptions } from './http-tenant-options.js';

function sendTenantError(reply: FastifyReply, error: unknown): boolean {
  const answer = tenantErrorResponse(error);
  if (answer === undefined) return false;
  void reply.code(answer.status).headers(answer.headers).send(answer.body);
  return true;
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A `preHandler` hook (the body is parsed by then): resolves the tenant from verified
 * credentials and runs the handler inside `withTenant`. Callback style on purpose: the handler
 * must start inside the async context that `done` is called in.
 */
export function fastifyTenant(options: TenantMiddlewareOptions) {
  const resolve = createTenantResolver(options);
  const { param, field } = claimedTenantFields(options);
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    resolve((name) => headerOf(request, name))
      .then(({ tenant }) => {
        assertSameTenant(tenant, [namedTenant(request.params, param), namedTenant(request.body, field)]);
        return tenant;
      })
      .then(
        (tenant) => withTenant(tenant, () => done()),
        (error: unknown) => {
          if (!sendTenantError(reply, error)) done(error as FastifyError);
        },
      );
  };
}

/** For `setErrorHandler`: 401, 403 and 429 (with Retry-After) for guardrails errors; the rest as given. */
export function fastifyTenantErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (!sendTenantError(reply, error)) void reply.send(error);
}
