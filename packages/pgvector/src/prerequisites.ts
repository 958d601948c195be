import { ConfigurationError } from '@tenantvec/core/backend';
import { describeTarget, type ConnectionTarget } from './connection-target.js';
import type { ResolvedSettings } from './pgvector-settings.js';
import type { SqlTransaction } from './sql-client.js';

interface RoleRow {
  rolname: string;
  rolsuper: boolean;
  rolbypassrls: boolean;
  granted: boolean;
}

/**
 * What an administrator must have done before a login without superuser rights can migrate:
 * checked up front so the error says which step is missing, instead of the statement that
 * happened to fail. Only for what the settings say was done by someone else.
 */
export async function checkPrerequisites(transaction: SqlTransaction, settings: ResolvedSettings, target: ConnectionTarget): Promise<void> {
  const where = describeTarget(target);
  if (!settings.createExtension) {
    const { rows } = await transaction.query("SELECT 1 FROM pg_extension WHERE extname = 'vector'");
    if (rows.length === 0) {
      throw new ConfigurationError(
        `The vector extension is not installed in ${where}, and createExtension is false: an administrator must run CREATE EXTENSION vector in that database once (the SQL from printSetupSql()).`,
      );
    }
  }
  const [schemaName, name] = settings.textSearchConfiguration.includes('.') ? settings.textSearchConfiguration.split('.') : [null, settings.textSearchConfiguration];
  const { rows: configurations } = await transaction.query(
    `SELECT 1 FROM pg_ts_config AS configuration JOIN pg_namespace AS namespace ON namespace.oid = configuration.cfgnamespace
     WHERE configuration.cfgname = $1 AND (CASE WHEN $2::text IS NULL THEN pg_ts_config_is_visible(configuration.oid) ELSE namespace.nspname = $2::text END)`,
    [name, schemaName],
  );
  if (configurations.length === 0) {
    throw new ConfigurationError(`textSearchConfiguration names ${JSON.stringify(settings.textSearchConfiguration)}, which is no text-search configuration in ${where} (SELECT cfgname FROM pg_ts_config lists them).`);
  }
  if (!settings.rowLevelSecurity || !settings.provisionedRoles) return;
  const { rows } = await transaction.query<RoleRow>(
    `SELECT rolname, rolsuper, rolbypassrls, pg_has_role(current_user, oid, 'MEMBER') AS granted FROM pg_roles WHERE rolname = ANY($1::text[])`,
    [[settings.appRole, settings.adminRole]],
  );
  for (const role of [settings.appRole, settings.adminRole]) {
    const found = rows.find((row) => row.rolname === role);
    if (found === undefined) {
      throw new ConfigurationError(`Role "${role}" named in roles does not exist (${where}): an administrator must create it once (the SQL from printSetupSql()).`);
    }
    if (found.rolsuper || found.rolbypassrls) {
      throw new ConfigurationError(`Role "${role}" has ${found.rolsuper ? 'SUPERUSER' : 'BYPASSRLS'}, so row-level security would not confine it: use a NOSUPERUSER NOBYPASSRLS role.`);
    }
    if (!found.granted) {
      const login = target.engine === 'pg' ? `"${target.user}"` : 'the login';
      throw new ConfigurationError(`Role "${role}" is not granted to the login ${login} (${where}): an administrator must run GRANT "${role}" TO ${login} once.`);
    }
  }
}
