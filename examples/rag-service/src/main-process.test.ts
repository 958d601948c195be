import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { closedPort, startRedisServer } from '../../../packages/guardrails/src/redis-server-process.js';
import { developmentSecret } from './service-settings.js';

const serviceFolder = fileURLToPath(new URL('..', import.meta.url));
const secret = 'main-process-test-secret-0123456789abcdef';
const running: ChildProcess[] = [];
afterAll(async () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

interface StartedService {
  child: ChildProcess;
  output: () => string;
  url: Promise<string>;
  exited: Promise<number | null>;
}

/** Runs `src/main.ts` as an operator would, with only the given settings in its environment. */
function startMain(settings: Record<string, string>, args: string[] = []): StartedService {
  const environment: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', TENANTVEC_BACKEND: 'memory', ...settings };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: serviceFolder, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /rag-service on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`rag-service exited (${String(code)}): ${output}`)));
  });
  url.catch(() => {});
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, url, exited };
}

const token = () => new SignJWT({ tenant_id: 'acme' }).setProtectedHeader({ alg: 'HS256' }).setAudience('rag-service').setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(secret));
async function ask(url: string) {
  const began = performance.now();
  const response = await fetch(`${url}/ask`, { method: 'POST', headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' }, body: '{"question":"refunds"}' });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown>, ms: performance.now() - began };
}

describe('rag-service main', () => {
  it('refuses to start without JWT_SECRET, in one line and without a stack trace', async () => {
    const service = startMain({});
    expect(await service.exited).toBe(2);
    expect(service.output()).toContain('JWT_SECRET is not set');
    expect(service.output()).toContain('--development');
    expect(service.output()).not.toContain('rag-service on');
    expect(service.output()).not.toMatch(/\n\s+at /);
  });

  it('refuses JWT_SECRET set to the public development secret without --development, in one line, printing no token', async () => {
    const service = startMain({ JWT_SECRET: developmentSecret });
    // Before the fix it started and printed tokens: the race fails at once instead of timing out.
    expect(await Promise.race([service.exited, service.url.then(() => 'started', () => new Promise<never>(() => {}))])).toBe(2);
    expect(service.output()).toMatch(/^rag-service: JWT_SECRET is the public development secret\.[^\n]*--development[^\n]*\n$/);
    expect(service.output()).not.toContain('TOKEN_ACME');
  });

  it('starts on the public development secret only when asked, says so, and names the real backend', async () => {
    const service = startMain({ TENANTVEC_BACKEND: 'pglite' }, ['--development']);
    await service.url;
    expect(service.output()).toContain('DEVELOPMENT MODE');
    expect(service.output()).toContain('backend: pglite, embedded Postgres (PGlite), in memory');
    service.child.kill('SIGTERM');
    await service.exited;
  }, 120_000);

  it('fails closed (503) while its Redis is down, does not crash, and serves again once Redis is back', async () => {
    const redis = await startRedisServer();
    const service = startMain({ JWT_SECRET: secret, REDIS_URL: redis.url });
    try {
      const url = await service.url;
      expect(service.output()).toContain('limits: Redis, fail-closed while it is unavailable');
      expect((await ask(url)).status).toBe(200);

      await redis.stop();
      const down = await ask(url);
      expect(down).toMatchObject({ status: 503, body: { error: 'unavailable', code: 'LIMIT_STORE_UNAVAILABLE' } });
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(down.ms).toBeLessThan(2_000);
      // Reconnect attempts fail for a while: each is an 'error' event the service must survive.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(service.child.exitCode).toBeNull();

      await redis.start();
      let status = 0;
      for (let attempt = 0; attempt < 100 && status !== 200; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await ask(url)).status;
      }
      expect(status).toBe(200);
      expect(service.output()).not.toContain('Unhandled');
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
      await redis.stop();
    }
  });

  it('starts and answers 503 when REDIS_URL points at a closed port, instead of crashing', async () => {
    const service = startMain({ JWT_SECRET: secret, REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    try {
      const url = await service.url;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await ask(url)).status).toBe(503);
      expect(service.child.exitCode).toBeNull();
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });
});
