import { objectWith, parseSettings } from '@tenantvec/core/backend';
import { z } from 'zod';
import type { LimitStore } from './limit-store.js';

const aFunction = z.custom<(...parameters: never[]) => unknown>((value) => typeof value === 'function', { message: 'must be a function' });
const aCount = z.number().int().nonnegative().optional();

// Strict: a misspelt limit (`requestsPerMinut`) would otherwise leave the tenant unlimited.
const tenantLimitsSchema = z.strictObject({ requestsPerMinute: aCount, embeddingTokensPerDay: aCount, vectorsStored: aCount });

function settingsSchema(limitsByTenant: boolean) {
  return z.strictObject({
    limits: limitsByTenant ? aFunction : tenantLimitsSchema,
    store: objectWith<LimitStore>('a limit store (consume, add, read, write)', ['consume', 'add', 'read', 'write']),
    countStored: aFunction.optional(),
    now: aFunction.optional(),
    whenStoreUnavailable: z.enum(['fail-closed', 'fail-open']).optional(),
    onStoreUnavailable: aFunction.optional(),
  });
}

/** Checks `rateLimitHooks` settings; a `ConfigurationError` names each wrong path. */
export function checkRateLimitSettings(settings: unknown): void {
  const limitsByTenant = typeof (settings as { limits?: unknown } | null | undefined)?.limits === 'function';
  parseSettings({ schema: settingsSchema(limitsByTenant), settings, root: 'rateLimitHooks' });
}

/** Checks what a per-tenant `limits` lookup returned, so a misspelt plan fails instead of passing unlimited. */
export function checkTenantLimits(limits: unknown): void {
  if (limits === undefined) return;
  parseSettings({ schema: tenantLimitsSchema, settings: limits, root: 'rateLimitHooks.limits(tenant)' });
}
