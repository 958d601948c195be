import type { ResolvedSettings } from './pgvector-settings.js';
import type { SqlTransaction } from './sql-client.js';
import { quoteLiteral } from './sql-names.js';
import { adminSetting, tenantSetting } from './sql-statements.js';

export { TENANT_SETTING } from './sql-statements.js';

/**
 * Opens the walls for the rest of a transaction (see `tenantSetting`): for the work that still
 * runs statement by statement inside `SqlClient.transaction` (index builds, the catalogue).
 */
export async function enterTenant(
  transaction: SqlTransaction,
  settings: ResolvedSettings,
  tenantKey: string | undefined,
  extra: Record<string, string> = {},
): Promise<void> {
  const statement = tenantSetting({ settings, key: tenantKey, extra });
  await transaction.query(statement.text, statement.values);
}

/**
 * The admin read policy's condition: true only while the session has SET ROLE to the admin role.
 * The login is a member of that role (it must be, to SET ROLE), and a policy `TO` a role applies
 * to its members too: without this, the login's own raw SQL would read every tenant's rows.
 */
export function adminOnly(adminRole: string): string {
  return `current_user = ${quoteLiteral(adminRole)}`;
}

/**
 * The deliberate path across tenants, used only by `listTenantKeys` and dropping a collection's
 * catalogue rows: the admin role, whose one policy on shared tables reads every row and writes none.
 */
export async function enterAdmin(transaction: SqlTransaction, settings: ResolvedSettings): Promise<void> {
  const statement = adminSetting({ settings });
  if (statement !== undefined) await transaction.query(statement.text, statement.values);
}
