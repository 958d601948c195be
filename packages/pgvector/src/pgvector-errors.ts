import { BackendError, ConfigurationError, TenantVecError } from '@tenantvec/core/backend';
import { describeTarget, type ConnectionTarget } from './connection-target.js';

/**
 * SQLSTATE classes worth retrying: connection trouble, serialization failures and deadlocks,
 * an administrator shutdown or a crashed backend, too many connections.
 */
const retryableStates = /^(08|40001|40P01|57P0[1-3]|53300)/;

/** Socket errors of a server that is down, restarting or unreachable for now. */
const retryableSocketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE']);

/** What `pg` says, with no code, when a connection times out or ends under a query. */
const retryableDriverMessages = /timeout exceeded when trying to connect|Connection terminated|connection error and is not queryable|Connection ended/i;

export interface ErrorContext {
  /** What was being done, as a sentence start: `Migrating the tenantvec schema "app"`. */
  during?: string;
  target?: ConnectionTarget;
}

/** Postgres's "relation does not exist": a table dropped since it was looked up. */
export const UNDEFINED_TABLE = '42P01';

interface DriverError {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as DriverError | null)?.code;
  if (typeof code === 'string') return code;
  // Node's happy-eyeballs connect reports each address in an AggregateError.
  const inner = (error as DriverError | null)?.errors;
  if (Array.isArray(inner)) return inner.map(codeOf).find((found) => found !== undefined);
  return undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error && error.message !== '') return error.message;
  const inner = (error as DriverError | null)?.errors;
  if (Array.isArray(inner) && inner[0] instanceof Error) return inner[0].message;
  return String(error);
}

/** The cause in words a user acts on: which privilege, which database, which host. */
function explain(code: string | undefined, detail: string, target: ConnectionTarget | undefined): { message: string; kind: 'configuration' | 'backend' } {
  const pgTarget = target?.engine === 'pg' ? target : undefined;
  const where = target === undefined ? 'the database' : describeTarget(target);
  const server = pgTarget === undefined ? 'the Postgres server' : `Postgres at ${pgTarget.host}:${pgTarget.port}`;
  const login = pgTarget === undefined ? 'the login' : `the login "${pgTarget.user}"`;
  if (code === 'ECONNREFUSED') return { kind: 'backend', message: `Could not connect to ${server}: connection refused. Is the server running and listening there?` };
  if (code === 'ENOTFOUND') return { kind: 'configuration', message: `Could not connect to ${server}: the host name does not resolve.` };
  if (code !== undefined && retryableSocketCodes.has(code)) return { kind: 'backend', message: `Lost or could not open the connection to ${server} (${code}).` };
  if (code === undefined && retryableDriverMessages.test(detail)) return { kind: 'backend', message: `Lost or could not open the connection to ${server}: ${detail}.` };
  if (code === '3D000') {
    const name = pgTarget?.database ?? /database "([^"]*)"/.exec(detail)?.[1] ?? '?';
    return { kind: 'configuration', message: `Database "${name}" does not exist on ${server.replace('Postgres at ', '')}: create it, or fix the database name in the connection settings.` };
  }
  if (code === '28P01' || code === '28000') return { kind: 'configuration', message: `${server} refused ${login}: ${detail}. Check the user and password in the connection settings.` };
  if (code === '42501') {
    const extension = /permission denied to create extension "([^"]*)"/.exec(detail);
    if (extension !== null) {
      return {
        kind: 'configuration',
        message: `Permission denied to create extension "${extension[1]}" in ${where}: only a superuser can. Have an administrator run CREATE EXTENSION ${extension[1]} in that database once (the SQL from printSetupSql()), then set createExtension: false.`,
      };
    }
    if (/permission denied to create role/.test(detail)) {
      return {
        kind: 'configuration',
        message: `Permission denied to create role: ${login} has no CREATEROLE privilege in ${where}. Have an administrator create the roles once (the SQL from printSetupSql()) and set roles: { app, admin }, or set rowLevelSecurity: false.`,
      };
    }
    const adminOption = /must have admin option on role "([^"]*)"/.exec(detail);
    if (adminOption !== null) {
      return {
        kind: 'configuration',
        message: `${login} must have admin option on role "${adminOption[1]}" to grant it to itself (${where}). Have an administrator run GRANT "${adminOption[1]}" TO the login once (the SQL from printSetupSql()) and set roles: { app, admin }.`,
      };
    }
    return { kind: 'configuration', message: `Permission denied in ${where}: ${detail}.` };
  }
  return { kind: 'backend', message: `Postgres refused the operation: ${detail}` };
}

/**
 * Wraps a driver error as a typed error, keeping the original as `cause`: a `ConfigurationError`
 * when the settings or the server's grants must change, a `BackendError` otherwise, retryable when
 * the connection failed or a transaction lost a race.
 */
export function toBackendError(error: unknown, context: ErrorContext = {}): TenantVecError {
  if (TenantVecError.isInstance(error)) return error;
  const code = codeOf(error);
  const detail = messageOf(error);
  const { message, kind } = explain(code, detail, context.target);
  const full = context.during === undefined ? message : `${context.during} failed. ${message}`;
  if (kind === 'configuration') return new ConfigurationError(full, { cause: error });
  const retryable =
    code === undefined ? retryableDriverMessages.test(detail) : retryableStates.test(code) || retryableSocketCodes.has(code);
  return new BackendError(full, { cause: error, retryable });
}
