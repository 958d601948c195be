import { ConfigurationError } from '@tenantvec/core/backend';
import { resolveSettings, type PgvectorSettings } from './pgvector-settings.js';
import { quoteIdentifier, quoteLiteral } from './sql-names.js';

export interface SetupSqlParams {
  /** The login the application connects as: it owns (or may create in) its database. */
  login: string;
  /** The database the application uses; adds the CREATE grant a login that does not own it needs. */
  database?: string;
  /** The same role settings the backend gets (`roles`, `rolePrefix`, `rowLevelSecurity`). */
  settings?: Pick<PgvectorSettings, 'roles' | 'rolePrefix' | 'rowLevelSecurity'>;
}

/**
 * The SQL an administrator runs once, as a superuser connected to the application's database,
 * so that a login with no superuser or CREATEROLE right can migrate and run tenantvec: the
 * extension, the two NOLOGIN roles, and their grants to the login. Idempotent. The backend then
 * runs with `createExtension: false` and `roles: { app, admin }` (the names printed at the end).
 */
export function printSetupSql({ login, database, settings = {} }: SetupSqlParams): string {
  if (typeof login !== 'string' || login.length === 0) throw new ConfigurationError('printSetupSql needs the login the application connects as.');
  const resolved = resolveSettings(settings);
  const user = quoteIdentifier(login);
  const lines = [
    '-- tenantvec: run once as a superuser, connected to the database the application uses.',
    '-- pgvector is not a trusted extension: only a superuser can create it.',
    'CREATE EXTENSION IF NOT EXISTS vector;',
  ];
  if (database !== undefined) lines.push('-- The login creates its schema and tables in this database.', `GRANT CREATE, CONNECT ON DATABASE ${quoteIdentifier(database)} TO ${user};`);
  if (resolved.rowLevelSecurity) {
    const create = (role: string) =>
      `  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${quoteLiteral(role)}) THEN CREATE ROLE ${quoteIdentifier(role)} NOLOGIN NOBYPASSRLS; END IF;`;
    lines.push(
      '-- Data operations SET ROLE to the app role (confined by row-level security); listing a',
      "-- shared table's tenants uses the admin role. Roles are cluster-wide: create them once.",
      'DO $roles$ BEGIN',
      create(resolved.appRole),
      create(resolved.adminRole),
      'END $roles$;',
      `GRANT ${quoteIdentifier(resolved.appRole)} TO ${user};`,
      `GRANT ${quoteIdentifier(resolved.adminRole)} TO ${user};`,
      `-- Then: pgvector({ ..., createExtension: false, roles: { app: ${JSON.stringify(resolved.appRole)}, admin: ${JSON.stringify(resolved.adminRole)} } })`,
    );
  } else {
    lines.push('-- rowLevelSecurity: false creates and needs no roles.', '-- Then: pgvector({ ..., createExtension: false, rowLevelSecurity: false })');
  }
  return `${lines.join('\n')}\n`;
}
