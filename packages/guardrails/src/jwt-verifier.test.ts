import { ConfigurationError } from '@tenantvec/core';
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTenantResolver, type HeaderReader } from './resolve-tenant.js';
import { TenantAuthenticationError, tenantErrorResponse } from './tenant-errors.js';

const secret = 'a-test-secret-of-at-least-32-bytes!!';
const secretKey = new TextEncoder().encode(secret);
const now = () => Math.floor(Date.now() / 1000);
const { publicKey, privateKey } = await generateKeyPair('RS256');

/** Signs exactly the claims given: no `exp` or `iat` is added behind the test's back. */
const signRaw = (claims: JWTPayload, alg: 'HS256' | 'RS256') =>
  new SignJWT({ tenant_id: 'acme', ...claims }).setProtectedHeader({ alg }).sign(alg === 'HS256' ? secretKey : privateKey);
const bearer = (token: string): HeaderReader => (name) => (name === 'authorization' ? `Bearer ${token}` : undefined);
const refusalCode = (promise: Promise<unknown>) =>
  promise.then(() => 'accepted', (error: unknown) => (error instanceof TenantAuthenticationError ? error.code : `untyped: ${String(error)}`));

const algorithms = [
  ['HS256', { secret }],
  ['RS256', { publicKey }],
] as const;

describe.each(algorithms)('JWT lifetime checks with %s', (alg, key) => {
  const resolve = createTenantResolver({ jwt: key });

  it('refuses a token without exp by default, and accepts it only when requireExpiry is false', async () => {
    const noExpiry = await signRaw({ iat: now() }, alg);
    expect(await refusalCode(resolve(bearer(noExpiry)))).toBe('TOKEN_EXPIRY_MISSING');
    const relaxed = createTenantResolver({ jwt: { ...key, requireExpiry: false } });
    expect((await relaxed(bearer(noExpiry))).tenant).toBe('acme');
  });

  it('refuses a token issued in the future, beyond the clock tolerance', async () => {
    const future = await signRaw({ iat: now() + 3_600, exp: now() + 7_200 }, alg);
    expect(await refusalCode(resolve(bearer(future)))).toBe('TOKEN_ISSUED_IN_FUTURE');
    // A few seconds of clock difference between issuer and service is normal.
    const slightlyAhead = await signRaw({ iat: now() + 5, exp: now() + 600 }, alg);
    expect(await refusalCode(resolve(bearer(slightlyAhead)))).toBe('accepted');
  });

  it('bounds the token age: an old iat or a far-future exp is refused', async () => {
    const old = await signRaw({ iat: now() - 2 * 86_400, exp: now() + 60 }, alg);
    expect(await refusalCode(resolve(bearer(old)))).toBe('TOKEN_TOO_OLD');
    const tenYears = await signRaw({ iat: now(), exp: now() + 10 * 365 * 86_400 }, alg);
    expect(await refusalCode(resolve(bearer(tenYears)))).toBe('TOKEN_LIFETIME_TOO_LONG');
    const tenYearsWithoutIat = await signRaw({ exp: now() + 10 * 365 * 86_400 }, alg);
    expect(await refusalCode(resolve(bearer(tenYearsWithoutIat)))).toBe('TOKEN_LIFETIME_TOO_LONG');
    const hour = await signRaw({ iat: now(), exp: now() + 3_600 }, alg);
    expect(await refusalCode(resolve(bearer(hour)))).toBe('accepted');

    const strict = createTenantResolver({ jwt: { ...key, maxTokenAgeSeconds: 600 } });
    expect(await refusalCode(strict(bearer(hour)))).toBe('TOKEN_LIFETIME_TOO_LONG');
    const fiveMinutes = await signRaw({ iat: now(), exp: now() + 300 }, alg);
    expect(await refusalCode(strict(bearer(fiveMinutes)))).toBe('accepted');
  });

  it('says "expired" for an expired genuine token and "invalid" for a forged one', async () => {
    expect(await refusalCode(resolve(bearer(await signRaw({ iat: now() - 600, exp: now() - 300 }, alg))))).toBe('TOKEN_EXPIRED');
    const forged = await new SignJWT({ tenant_id: 'acme', exp: now() + 60 }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('another-secret-of-at-least-32-bytes'));
    expect(await refusalCode(resolve(bearer(forged)))).toBe('CREDENTIALS_INVALID');
  });
});

describe('JWT lifetime settings', () => {
  it('refuses an unbounded or meaningless maximum age with a ConfigurationError', () => {
    for (const maxTokenAgeSeconds of [Number.POSITIVE_INFINITY, 0, -1, Number.NaN]) {
      expect(() => createTenantResolver({ jwt: { secret, maxTokenAgeSeconds } })).toThrow(ConfigurationError);
    }
    expect(() => createTenantResolver({ jwt: { secret, clockToleranceSeconds: -5 } })).toThrow(ConfigurationError);
  });

  it('answers 401 with the stable code and no token in the body', async () => {
    const resolve = createTenantResolver({ jwt: { secret } });
    const noExpiry = await signRaw({}, 'HS256');
    const error = await resolve(bearer(noExpiry)).catch((caught: unknown) => caught);
    const answer = tenantErrorResponse(error);
    expect(answer).toMatchObject({ status: 401, body: { error: 'unauthenticated', code: 'TOKEN_EXPIRY_MISSING' } });
    expect(JSON.stringify(answer)).not.toContain(noExpiry);
  });
});
