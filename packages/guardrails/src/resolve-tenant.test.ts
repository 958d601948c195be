import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { assertSameTenant, createTenantResolver, type HeaderReader } from './resolve-tenant.js';
import { TenantAuthenticationError, TenantMismatchError } from './tenant-errors.js';

const secret = 'a-test-secret-of-at-least-32-bytes!!';
const sign = (claims: JWTPayload, key: Parameters<SignJWT['sign']>[0] = new TextEncoder().encode(secret), alg = 'HS256', expiresIn = '5m') =>
  new SignJWT(claims).setProtectedHeader({ alg }).setIssuer('https://auth.example').setAudience('rag-api').setIssuedAt().setExpirationTime(expiresIn).sign(key);
const headers = (values: Record<string, string>): HeaderReader => (name) => values[name];
const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('createTenantResolver', () => {
  const jwtResolver = createTenantResolver({ jwt: { secret, issuer: 'https://auth.example', audience: 'rag-api' } });

  it('takes the tenant from a verified HS256 token', async () => {
    const token = await sign({ tenant_id: 'acme', sub: 'u1' });
    expect(await jwtResolver(headers({ authorization: `Bearer ${token}` }))).toMatchObject({ tenant: 'acme', via: 'jwt', claims: { sub: 'u1' } });
  });

  it('refuses forged, expired, foreign and tenant-less tokens with 401', async () => {
    const forged = await sign({ tenant_id: 'acme' }, new TextEncoder().encode('another-secret-of-at-least-32-bytes'));
    const expired = await sign({ tenant_id: 'acme' }, undefined, 'HS256', '-1m');
    const otherAudience = await new SignJWT({ tenant_id: 'acme' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://auth.example').setAudience('billing').setExpirationTime('5m').sign(new TextEncoder().encode(secret));
    const otherIssuer = await new SignJWT({ tenant_id: 'acme' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://evil.example').setAudience('rag-api').setExpirationTime('5m').sign(new TextEncoder().encode(secret));
    const noTenant = await sign({ sub: 'u1' });
    const badTenant = await sign({ tenant_id: 'acme/../globex' });
    for (const token of [forged, expired, otherAudience, otherIssuer, noTenant, badTenant, 'not-a-jwt']) {
      expect(await refusal(jwtResolver(headers({ authorization: `Bearer ${token}` })))).toBeInstanceOf(TenantAuthenticationError);
    }
    expect(await refusal(jwtResolver(headers({ authorization: 'Basic abc' })))).toBeInstanceOf(TenantAuthenticationError);
    expect(await refusal(jwtResolver(headers({})))).toBeInstanceOf(TenantAuthenticationError);
  });

  it('refuses an unsigned token even when its claims are right', async () => {
    const body = Buffer.from(JSON.stringify({ tenant_id: 'acme', iss: 'https://auth.example', aud: 'rag-api', exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`;
    expect(await refusal(jwtResolver(headers({ authorization: `Bearer ${unsigned}` })))).toBeInstanceOf(TenantAuthenticationError);
  });

  it('verifies RS256 tokens with a public key (object or PEM) and a configurable claim', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const token = await sign({ org: 'globex' }, privateKey, 'RS256');
    for (const key of [publicKey, await exportSPKI(publicKey)]) {
      const resolve = createTenantResolver({ jwt: { publicKey: key, claim: 'org', audience: 'rag-api' } });
      expect((await resolve(headers({ authorization: `Bearer ${token}` }))).tenant).toBe('globex');
    }
    // An HS256 token signed with the public key's bytes must not pass an RS256 verifier.
    const resolve = createTenantResolver({ jwt: { publicKey, claim: 'org' } });
    const confused = await sign({ org: 'globex' }, new TextEncoder().encode(await exportSPKI(publicKey)));
    expect(await refusal(resolve(headers({ authorization: `Bearer ${confused}` })))).toBeInstanceOf(TenantAuthenticationError);
  });

  it('verifies tokens against the keys of a JWKS endpoint, by key id', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] });
    const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const resolve = createTenantResolver({ jwt: { jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`, audience: 'rag-api' } });
      const token = await new SignJWT({ tenant_id: 'initech' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setAudience('rag-api').setExpirationTime('5m').sign(privateKey);
      expect((await resolve(headers({ authorization: `Bearer ${token}` }))).tenant).toBe('initech');
      const { privateKey: otherKey } = await generateKeyPair('ES256');
      const foreign = await new SignJWT({ tenant_id: 'initech' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setAudience('rag-api').setExpirationTime('5m').sign(otherKey);
      expect(await refusal(resolve(headers({ authorization: `Bearer ${foreign}` })))).toBeInstanceOf(TenantAuthenticationError);
    } finally {
      server.close();
    }
  });

  it('maps API keys to tenants and refuses unknown keys', async () => {
    const resolve = createTenantResolver({ apiKeys: { 'key-acme-123': 'acme', 'key-globex-456': 'globex' } });
    expect(await resolve(headers({ 'x-api-key': 'key-globex-456' }))).toEqual({ tenant: 'globex', via: 'api-key' });
    expect(await refusal(resolve(headers({ 'x-api-key': 'key-acme-12' })))).toBeInstanceOf(TenantAuthenticationError);
    expect(() => createTenantResolver({ apiKeys: { k: 'not valid!' } })).toThrow(TypeError);
  });

  it('ignores a client tenant header unless trustHeader names it', async () => {
    const claimed = headers({ 'x-tenant-id': 'acme' });
    expect(await refusal(jwtResolver(claimed))).toBeInstanceOf(TenantAuthenticationError);
    const trusting = createTenantResolver({ trustHeader: 'X-Tenant-Id' });
    expect(await trusting(claimed)).toEqual({ tenant: 'acme', via: 'header' });
    expect(await refusal(trusting(headers({ 'x-tenant-id': '../x' })))).toBeInstanceOf(TenantAuthenticationError);
  });

  it('does not fall back to a weaker method when a presented token fails', async () => {
    const resolve = createTenantResolver({ jwt: { secret }, trustHeader: 'x-tenant-id' });
    expect(await refusal(resolve(headers({ authorization: 'Bearer forged', 'x-tenant-id': 'acme' })))).toBeInstanceOf(TenantAuthenticationError);
  });

  it('needs a method, and exactly one JWT key source', () => {
    expect(() => createTenantResolver({})).toThrow(TypeError);
    expect(() => createTenantResolver({ jwt: {} })).toThrow(TypeError);
    expect(() => createTenantResolver({ jwt: { secret, jwksUrl: 'https://auth.example/jwks' } })).toThrow(TypeError);
  });
});

describe('assertSameTenant', () => {
  it('refuses with 403 a request naming another tenant, and accepts one naming none', () => {
    expect(() => assertSameTenant('acme', [undefined, 'acme'])).not.toThrow();
    expect(() => assertSameTenant('acme', ['globex'])).toThrow(TenantMismatchError);
    expect(() => assertSameTenant('acme', [undefined, 7])).toThrow(TenantMismatchError);
  });
});
