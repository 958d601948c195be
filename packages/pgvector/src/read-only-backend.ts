import { BackendError, type BackendDescription, type CollectionSpec } from '@tenantvec/core/backend';
import { toBackendError } from './pgvector-errors.js';
import { migrations } from './migrations.js';
import { PgvectorBackend } from './pgvector-backend.js';
import type { ResolvedSettings } from './pgvector-settings.js';
import type { SqlClient } from './sql-client.js';
import { qualified } from './sql-names.js';

/** Every statement of a read-only backend runs in a transaction Postgres itself keeps from writing. */
export function readOnlyClient(client: SqlClient): SqlClient {
  return {
    engine: client.engine,
    target: client.target,
    transaction: (work) =>
      client.transaction(async (transaction) => {
        await transaction.query('SET TRANSACTION READ ONLY');
        return work(transaction);
      }),
    run: (statements) => client.run([{ text: 'SET TRANSACTION READ ONLY', values: [] }, ...statements]).then((results) => results.slice(1)),
    parameters: () => client.parameters(),
    native: () => client.native(),
    // Index builds are the only statements outside a transaction; a read-only backend builds none.
    session: () => Promise.reject(new BackendError('This backend was opened read-only: it builds no index.')),
    close: () => client.close(),
  };
}

/**
 * A backend that never migrates and never creates: `ready()` checks that the tenantvec schema is
 * there and up to date, `ensureCollection` and `ensurePartition` only wait for that check (a read
 * of a missing collection returns nothing anyway), and any write is refused by the database.
 */
export class ReadOnlyPgvectorBackend extends PgvectorBackend {
  private checked: Promise<void> | undefined;

  constructor(private readonly reader: SqlClient, private readonly resolved: ResolvedSettings, description: BackendDescription) {
    super(reader, resolved, description);
  }

  override ready(): Promise<void> {
    this.checked ??= this.checkSchema().catch((error: unknown) => {
      this.checked = undefined;
      throw error;
    });
    return this.checked;
  }

  override async ensureCollection(_params: { collection: CollectionSpec }): Promise<void> {
    await this.ready();
  }

  override async ensurePartition(_params: { collection: string; partition: string; tenant: string }): Promise<void> {
    await this.ready();
  }

  private async checkSchema(): Promise<void> {
    const { schema } = this.resolved;
    // Migrations that do not apply to these settings (row-level security off) are never recorded.
    const needed = migrations.filter((migration) => migration.appliesTo?.(this.resolved) !== false).map((migration) => migration.version);
    const applied = await this.reader.transaction(async (transaction) => {
      const { rows } = await transaction.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [qualified(schema, '_migrations')]);
      if (rows[0]?.present !== true) return undefined;
      const versions = await transaction.query<{ version: number }>(`SELECT version FROM ${qualified(schema, '_migrations')}`);
      return new Set(versions.rows.map((row) => Number(row.version)));
    }).catch((error: unknown) => {
      throw toBackendError(error, { during: 'Checking for the tenantvec schema', target: this.reader.target });
    });
    if (applied === undefined) {
      throw new BackendError(`No tenantvec schema "${schema}" here: opened read-only, so nothing was created.`);
    }
    const missing = needed.filter((version) => !applied.has(version));
    if (missing.length > 0) {
      throw new BackendError(`The tenantvec schema "${schema}" here lacks migration ${missing.join(', ')}: open it once without readOnly to migrate.`);
    }
  }
}
