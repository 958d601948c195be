import type { ResolvedSettings } from './pgvector-settings.js';
import type { SqlTransaction } from './sql-client.js';
import { quoteLiteral } from './sql-names.js';

/** The setting every tenant policy compares with; it lives for one transaction only. */
export const TENANT_SETTING = 'tenantvec.tenant';

/**
 * Opens the walls for one transaction: drops to the app role (no BYPASSRLS, so forced policies
 * apply even though the connection may be a superuser) and names the tenant key the policies
 * admit. Both last until the transaction ends, so a pooled connection or PGlite's one shared
 * session never carries a tenant into the next caller's work. An empty key admits no row.
 * `extra` carries other transaction-local settings (search tuning) in the same round trip.
 */
export async function enterTenant(
  transaction: SqlTransaction,
  settings: ResolvedSettings,
  tenantKey: string | undefined,
  extra: Record<string, string> = {},
): Promise<void> {
  const values: Record<string, string> = { [TENANT_SETTING]: tenantKey ?? '', ...extra };
  if (settings.rowLevelSecurity) values.role = settings.appRole;
  await setLocal(transaction, values);
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
 * The deliberate path across tenants, used only by `listTenantKeys`: the admin role, whose one
 * policy on shared tables reads every row and writes none.
 */
export async function enterAdmin(transaction: SqlTransaction, settings: ResolvedSettings): Promise<void> {
  if (settings.rowLevelSecurity) await setLocal(transaction, { role: settings.adminRole });
}

async function setLocal(transaction: SqlTransaction, values: Record<string, string>): Promise<void> {
  const names = Object.keys(values);
  const calls = names.map((_, index) => `set_config($${2 * index + 1}, $${2 * index + 2}, true)`);
  await transaction.query(`SELECT ${calls.join(', ')}`, names.flatMap((name) => [name, values[name]!]));
}
