import { InvalidTenantIdError } from './errors.js';

/** The longest tenant id accepted. Physical names stay short because they carry a hash, not the id. */
export const MAX_TENANT_ID_LENGTH = 128;

// ASCII letters, digits, '.', '_' and '-', starting with a letter or digit. Excluded on purpose:
// '/' and ':' (they delimit source paths and physical ids), '%' and '*' (wildcards in LIKE and
// glob matching), white space, and non-ASCII text (look-alike ids and normalisation forms).
const tenantIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The one tenant-id rule. Ids are case-sensitive: `Acme` and `acme` are two tenants, kept apart
 * on case-folding backends by the hash in their physical names.
 *
 * @throws InvalidTenantIdError before any I/O when the id breaks the rule.
 */
export function assertValidTenantId(tenantId: unknown): asserts tenantId is string {
  if (typeof tenantId !== 'string') {
    throw new InvalidTenantIdError(`A tenant id must be a string, got ${tenantId === null ? 'null' : typeof tenantId}.`);
  }
  if (tenantId.length === 0 || tenantId.length > MAX_TENANT_ID_LENGTH) {
    throw new InvalidTenantIdError(
      `A tenant id must be 1 to ${MAX_TENANT_ID_LENGTH} characters long, got ${tenantId.length}.`,
    );
  }
  if (!tenantIdPattern.test(tenantId)) {
    throw new InvalidTenantIdError(
      `Tenant id ${JSON.stringify(tenantId)} is not allowed: use ASCII letters, digits, '.', '_' and '-', starting with a letter or digit.`,
    );
  }
}

export function isValidTenantId(tenantId: unknown): tenantId is string {
  try {
    assertValidTenantId(tenantId);
    return true;
  } catch {
    return false;
  }
}
