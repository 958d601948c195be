import { describe, expect, it } from 'vitest';
import { InvalidTenantIdError } from './errors.js';
import { assertValidTenantId, isValidTenantId, MAX_TENANT_ID_LENGTH } from './tenant-id.js';

describe('the tenant-id rule', () => {
  it('accepts letters, digits, dot, underscore and dash, starting with a letter or digit', () => {
    for (const id of ['acme', 'Acme', '42', 'acme-corp', 'acme.corp', 'a_c', 'x'.repeat(MAX_TENANT_ID_LENGTH)]) {
      expect(isValidTenantId(id)).toBe(true);
    }
  });

  it('refuses anything else with InvalidTenantIdError and a message naming the rule', () => {
    for (const id of ['', '_acme', 'a b', 'a/b', 'a:b', 'a%b', 'a*b', 'ümlaut', 'x'.repeat(MAX_TENANT_ID_LENGTH + 1), undefined, 7]) {
      expect(() => assertValidTenantId(id)).toThrow(InvalidTenantIdError);
    }
    expect(() => assertValidTenantId('a/b')).toThrow(/ASCII letters, digits/);
  });
});
