import { createPublicKey, type KeyObject, type webcrypto } from 'node:crypto';
import { ConfigurationError, isValidTenantId } from '@tenantvec/core';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { TenantAuthenticationError } from './tenant-errors.js';

type CryptoKey = webcrypto.CryptoKey;

/** A day: longer than any access token an identity provider issues by default. */
export const defaultMaxTokenAgeSeconds = 86_400;
/** Clocks of the issuer and this service may differ by this much. */
export const defaultClockToleranceSeconds = 30;

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
  /**
   * Refuse tokens without an `exp` claim: such a token, once leaked, is valid forever.
   * `false` is for issuers that cannot set one. @default true
   */
  requireExpiry?: boolean;
  /**
   * The longest a token may live, in seconds: refused when `iat` is older than this, or when
   * `exp` lies further than this past `iat` (or past now, without `iat`). A finite, positive
   * number. @default 86400 (a day)
   */
  maxTokenAgeSeconds?: number;
  /** Allowed clock difference for `exp`, `nbf` and `iat`, in seconds. @default 30 */
  clockToleranceSeconds?: number;
}

export interface VerifiedToken {
  tenant: string;
  claims: JWTPayload;
}

function positiveSeconds(value: number | undefined, fallback: number, name: string, allowZero: boolean): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new ConfigurationError(`jwt.${name} must be a finite number of seconds${allowZero ? ' (0 or more)' : ' above 0'}, got ${String(value)}.`);
  }
  return value;
}

const refused = (code: TenantAuthenticationError['code'], message: string, cause?: unknown) =>
  new TenantAuthenticationError(message, { code, ...(cause === undefined ? {} : { cause }) });

/**
 * Checks what jose leaves to the caller: a token must expire, may not claim to be issued in the
 * future, and may not live longer than the configured age.
 */
function checkLifetime(claims: JWTPayload, settings: { requireExpiry: boolean; maxAge: number; tolerance: number }): void {
  const now = Math.floor(Date.now() / 1000);
  const { exp, iat } = claims;
  if (exp === undefined && settings.requireExpiry) throw refused('TOKEN_EXPIRY_MISSING', 'The token has no expiry ("exp" claim).');
  if (iat !== undefined) {
    if (iat > now + settings.tolerance) throw refused('TOKEN_ISSUED_IN_FUTURE', 'The token claims to be issued in the future ("iat").');
    if (now - iat > settings.maxAge + settings.tolerance) throw refused('TOKEN_TOO_OLD', `The token is older than ${settings.maxAge} seconds.`);
  }
  if (exp !== undefined && exp - (iat ?? now) > settings.maxAge + settings.tolerance) {
    throw refused('TOKEN_LIFETIME_TOO_LONG', `The token is valid for longer than ${settings.maxAge} seconds.`);
  }
}

/** Builds the verifier for `Authorization: Bearer` tokens; settings are checked here, once. */
export function jwtVerifier(options: JwtTenantOptions): (token: string) => Promise<VerifiedToken> {
  const given = [options.secret, options.publicKey, options.jwksUrl].filter((value) => value !== undefined);
  if (given.length !== 1) throw new TypeError('jwt needs exactly one of secret, publicKey or jwksUrl.');
  const claim = options.claim ?? 'tenant_id';
  const algorithms = options.algorithms ?? (options.secret === undefined ? ['RS256', 'PS256', 'ES256', 'EdDSA'] : ['HS256']);
  const lifetime = {
    requireExpiry: options.requireExpiry ?? true,
    maxAge: positiveSeconds(options.maxTokenAgeSeconds, defaultMaxTokenAgeSeconds, 'maxTokenAgeSeconds', false),
    tolerance: positiveSeconds(options.clockToleranceSeconds, defaultClockToleranceSeconds, 'clockToleranceSeconds', true),
  };
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
    clockTolerance: lifetime.tolerance,
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
  };
  return async (token) => {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = typeof key === 'function' ? await jwtVerify(token, key, verifyOptions) : await jwtVerify(token, key, verifyOptions));
    } catch (cause) {
      // jose checks the signature before any claim, so "expired" is only ever said of a genuine token.
      if (cause instanceof joseErrors.JWTExpired) throw refused('TOKEN_EXPIRED', 'The token has expired.', cause);
      // jose's reason (bad signature, wrong audience) is kept as the cause for logs only.
      throw refused('CREDENTIALS_INVALID', 'Invalid or expired token.', cause);
    }
    checkLifetime(claims, lifetime);
    const tenant = claims[claim];
    if (typeof tenant !== 'string' || !isValidTenantId(tenant)) {
      throw refused('TENANT_CLAIM_INVALID', `The token carries no valid "${claim}" claim.`);
    }
    return { tenant, claims };
  };
}
