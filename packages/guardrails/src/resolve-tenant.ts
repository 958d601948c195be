import { createHash, timingSafeEqual } from 'node:crypto';
import { isValidTenantId } from '@tenantvec/core';
import type { JWTPayload } from 'jose';
import { jwtVerifier, type JwtTenantOptions } from './jwt-verifier.js';
import { TenantAuthenticationError, TenantMismatchError } from './tenant-errors.js';

export type { JwtTenantOptions } from './jwt-verifier.js';

export interface TenantResolverOptions {
  /** Tenants from a verified JWT in `Authorization: Bearer`. */
  jwt?: JwtTenantOptions;
  /** Tenants from API keys: key → tenant id. Keys are compared in constant time. */
  apiKeys?: Record<string, string> | ReadonlyMap<string, string>;
  /** @default 'x-api-key' */
  apiKeyHeader?: string;
  /**
   * Accept this request header as the tenant, unverified. Only for services that sit behind a
   * gateway which sets the header itself and strips it from client requests.
   */
  trustHeader?: string;
}

export interface ResolvedTenant {
  tenant: string;
  via: 'jwt' | 'api-key' | 'header';
  /** The verified claims, for a JWT. */
  claims?: JWTPayload;
}

/** Reads one request header by lowercase name; adapters bridge each framework to this. */
export type HeaderReader = (name: string) => string | undefined;

export type TenantResolver = (header: HeaderReader) => Promise<ResolvedTenant>;

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The framework-agnostic core of the HTTP helpers: derives the tenant from verified credentials
 * only. A request that presents a credential which fails verification is refused rather than
 * tried against the next method, so a bad token never falls back to a weaker one.
 */
export function createTenantResolver(options: TenantResolverOptions): TenantResolver {
  const verifyJwt = options.jwt === undefined ? undefined : jwtVerifier(options.jwt);
  const apiKeyHeader = (options.apiKeyHeader ?? 'x-api-key').toLowerCase();
  const trustHeader = options.trustHeader?.toLowerCase();
  const apiKeys = [...(options.apiKeys instanceof Map ? options.apiKeys : Object.entries(options.apiKeys ?? {}))]
    .map(([key, tenant]) => {
      if (!isValidTenantId(tenant)) throw new TypeError('Every API key must map to a valid tenant id.');
      return { digest: digest(key), tenant };
    });
  if (verifyJwt === undefined && apiKeys.length === 0 && trustHeader === undefined) {
    throw new TypeError('createTenantResolver needs jwt, apiKeys or trustHeader.');
  }

  return async (header) => {
    const authorization = header('authorization');
    if (authorization !== undefined && verifyJwt !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      if (token === undefined) throw new TenantAuthenticationError('The Authorization header must be "Bearer <token>".', { code: 'CREDENTIALS_INVALID' });
      return { ...(await verifyJwt(token)), via: 'jwt' };
    }
    const apiKey = header(apiKeyHeader);
    if (apiKey !== undefined && apiKeys.length > 0) {
      const given = digest(apiKey);
      let tenant: string | undefined;
      // Every key is compared, equal-length digests in constant time, so timing says nothing.
      for (const entry of apiKeys) if (timingSafeEqual(entry.digest, given)) tenant = entry.tenant;
      if (tenant === undefined) throw new TenantAuthenticationError('Unknown API key.', { code: 'CREDENTIALS_INVALID' });
      return { tenant, via: 'api-key' };
    }
    if (trustHeader !== undefined) {
      const tenant = header(trustHeader);
      if (tenant !== undefined) {
        if (!isValidTenantId(tenant)) throw new TenantAuthenticationError(`The ${trustHeader} header holds no valid tenant id.`, { code: 'CREDENTIALS_INVALID' });
        return { tenant, via: 'header' };
      }
    }
    throw new TenantAuthenticationError();
  };
}

/**
 * Refuses (403) a request that names a tenant other than the authenticated one, in its URL or
 * body. Undefined values are ignored: a request need not name its tenant at all.
 */
export function assertSameTenant(authenticated: string, claimed: readonly unknown[]): void {
  for (const value of claimed) {
    if (value !== undefined && value !== authenticated) throw new TenantMismatchError();
  }
}
