/**
 * Test support, not shipped: a separate Node process for connection-loss.test.ts, so that an
 * unhandled 'error' event (which ends a process) shows as this process's exit, not as a test
 * runner hiccup. Speaks one line per step on stdout; waits for the parent's go on stdin.
 *   args: own|caller <schema> <application_name>
 */
import { createInterface } from 'node:readline';
import pg from 'pg';
import { pgvector } from './index.js';

const [mode, schema, applicationName] = process.argv.slice(2) as ['own' | 'caller', string, string];
const url = new URL(process.env.DATABASE_URL!);
url.searchParams.set('application_name', applicationName);
const connectionString = url.toString();
const pool = mode === 'caller' ? new pg.Pool({ connectionString }) : undefined;
const backend = pool === undefined ? pgvector({ connectionString, schema }) : pgvector({ pool, schema });
const location = { collection: 'docs' };
const scope = { tenant: 'a' };
const record = (id: string) => ({ id: `a:${id}`, recordId: id, vector: [1, 0], metadata: {}, tenant: 'a' });

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const say = (line: string) => process.stdout.write(`${line}\n`);
const waitForGo = async () => {
  await lines.next();
};
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string; isRetryable?: boolean; message?: string }) => `error ${error.code} retryable=${error.isRetryable} ${error.message}`,
  );

await backend.ensureCollection({ collection: { name: 'docs', dimension: 2, metric: 'cosine', tenantField: true, partitioned: false } });
await backend.rawUpsert({ location, records: [record('1')] });
say('idle');
await waitForGo();
// The pool notices the ended connection on its own; give the socket's end a moment to arrive.
await new Promise((resolve) => setTimeout(resolve, 300));
say(`after-idle ${await outcome(backend.rawCount({ location, scope }))} ${await backend.rawCount({ location, scope })}`);
say('mid-query');
await waitForGo();
say(`in-flight ${await outcome(backend.rawUpsert({ location, records: [record('2')] }))}`);
say(`after-mid ${await outcome(backend.rawCount({ location, scope }))} ${await backend.rawCount({ location, scope })}`);
await backend.close();
await pool?.end();
say('done');
process.exit(0);
