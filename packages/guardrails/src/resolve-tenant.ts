import { createHash, createPublicKey, timingSafeEqual, type KeyObject, type webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
import { isValidTenantId } from '@tenantvec/core';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { TenantAuthenticationError, TenantMismatchError } from './tenant-errors.js';

export interface JwtTenantOptions {
  /** A shared secret for HS256 tokens. Give exactly one of `secret`, `publicKey`, `jwksUrl`. */
  secret?: string | Uint8Array;
  /** A public key (a KeyObject, CryptoKey or SPKI PEM text) for RS/PS/ES/EdDSA tokens. */
  publicKey?: KeyObject | CryptoKey | string;
  /** A JWKS endpoint of the identity provider; keys are fetched and cached by jose. */
  jwksUrl?: string | URL;
  /** Required `iss`: tokens of another issuer are refused. */
  issuer?: string | string[];
  /** Required `aud`: tokens minted for another service are refused. */
  audience?: string | string[];
  /** The claim holding the tenant id. @default 'tenant_id' */
  claim?: string;
  /** Accepted algorithms. @default ['HS256'] with a secret, else ['RS256', 'PS256', 'ES256', 'EdDSA'] */
  algorithms?: string[];
}

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
      if (token === undefined) throw new TenantAuthenticationError('The Authorization header must be "Bearer <token>".');
      return verifyJwt(token);
    }
    const apiKey = header(apiKeyHeader);
    if (apiKey !== undefined && apiKeys.length > 0) {
      const given = digest(apiKey);
      let tenant: string | undefined;
      // Every key is compared, equal-length digests in constant time, so timing says nothing.
      for (const entry of apiKeys) if (timingSafeEqual(entry.digest, given)) tenant = entry.tenant;
      if (tenant === undefined) throw new TenantAuthenticationError('Unknown API key.');
      return { tenant, via: 'api-key' };
    }
    if (trustHeader !== undefined) {
      const tenant = header(trustHeader);
      if (tenant !== undefined) {
        if (!isValidTenantId(tenant)) throw new TenantAuthenticationError(`The ${trustHeader} header holds no valid tenant id.`);
        return { tenant, via: 'header' };
      }
    }
    throw new TenantAuthenticationError();
  };
}

function jwtVerifier(options: JwtTenantOptions): (token: string) => Promise<ResolvedTenant> {
  const given = [options.secret, options.publicKey, options.jwksUrl].filter((value) => value !== undefined);
  if (given.length !== 1) throw new TypeError('jwt needs exactly one of secret, publicKey or jwksUrl.');
  const claim = options.claim ?? 'tenant_id';
  const algorithms = options.algorithms ?? (options.secret === undefined ? ['RS256', 'PS256', 'ES256', 'EdDSA'] : ['HS256']);
  let key: JWTVerifyGetKey | KeyObject | CryptoKey | Uint8Array;
  if (options.secret !== undefined) {
    key = typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
  } else if (options.publicKey !== undefined) {
    key = typeof options.publicKey === 'string' ? createPublicKey(options.publicKey) : options.publicKey;
  } else {
    key = createRemoteJWKSet(new URL(options.jwksUrl!));
  }
  const verifyOptions = {
    algorithms,
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
  };
  return async (token) => {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = typeof key === 'function' ? await jwtVerify(token, key, verifyOptions) : await jwtVerify(token, key, verifyOptions));
    } catch (cause) {
      // jose's reason (expired, bad signature, wrong audience) is kept as the cause for logs only.
      throw new TenantAuthenticationError('Invalid or expired token.', { cause });
    }
    const tenant = claims[claim];
    if (typeof tenant !== 'string' || !isValidTenantId(tenant)) {
      throw new TenantAuthenticationError(`The token carries no valid "${claim}" claim.`);
    }
    return { tenant, via: 'jwt', claims };
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
