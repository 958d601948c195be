import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueSchema } from './test-engines.js';

/**
 * #15.1: the server ending a connection (restart, failover, `pg_terminate_backend`,
 * `idle_session_timeout`) must neither end the process nor poison the pool. The backend runs
 * in a child process; the test terminates its connections from here, idle and mid-query.
 */
const serverUrl = process.env.DATABASE_URL;
const child = fileURLToPath(new URL('./connection-loss-child.ts', import.meta.url));

class ChildSteps {
  private readonly lines: AsyncIterator<string>;
  readonly exited: Promise<number | null>;
  readonly errors: string[] = [];

  constructor(private readonly process: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: process.stdout })[Symbol.asyncIterator]();
    process.stderr.on('data', (chunk: Buffer) => this.errors.push(chunk.toString()));
    this.exited = new Promise((resolve) => process.on('exit', resolve));
  }

  async next(): Promise<string> {
    const line = await this.lines.next();
    if (line.done === true) throw new Error(`the child ended early (exit ${String(await this.exited)}): ${this.errors.join('')}`);
    return line.value;
  }

  go(): void {
    this.process.stdin.write('go\n');
  }
}

describe.skipIf(serverUrl === undefined)('a terminated connection on the native server', () => {
  let admin: pg.Pool;
  const schemas: string[] = [];

  beforeAll(() => {
    admin = new pg.Pool({ connectionString: serverUrl, max: 2 });
  });

  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  async function terminate(applicationName: string, where = 'true'): Promise<number> {
    const { rows } = await admin.query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = $1 AND ${where}`,
      [applicationName],
    );
    return rows.filter((row) => row.ended).length;
  }

  for (const mode of ['own', 'caller'] as const) {
    it(`fails the call in flight with a retryable BackendError, and the next call succeeds (${mode === 'own' ? "the backend's own pool" : "a caller's pool"})`, async () => {
      const schema = uniqueSchema();
      schemas.push(schema);
      const applicationName = `tv_walls_loss_${mode}_${process.pid}`;
      const steps = new ChildSteps(
        spawn(process.execPath, ['--import', 'tsx', child, mode, schema, applicationName], { env: process.env, cwd: fileURLToPath(new URL('..', import.meta.url)) }),
      );
      expect(await steps.next()).toBe('idle');
      expect(await terminate(applicationName)).toBeGreaterThan(0);
      steps.go();
      expect(await steps.next()).toBe('after-idle ok 1');

      expect(await steps.next()).toBe('mid-query');
      const blocker = await admin.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query(`LOCK TABLE "${schema}".docs IN ACCESS EXCLUSIVE MODE`);
        steps.go();
        // The child's upsert is now waiting on the lock: end its connection mid-statement.
        let ended = 0;
        for (let attempt = 0; attempt < 200 && ended === 0; attempt += 1) {
          ended = await terminate(applicationName, "wait_event_type = 'Lock'");
          if (ended === 0) await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(ended).toBe(1);
      } finally {
        await blocker.query('ROLLBACK');
        blocker.release();
      }
      expect(await steps.next()).toMatch(/^in-flight error BACKEND retryable=true /);
      expect(await steps.next()).toBe('after-mid ok 1');
      expect(await steps.next()).toBe('done');
      expect(await steps.exited).toBe(0);
    }, 60_000);
  }
});
