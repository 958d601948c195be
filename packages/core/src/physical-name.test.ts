import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.js';
import { hashOf, physicalName, type NameRules } from './physical-name.js';

const postgres: NameRules = { maxLength: 63, letterCase: 'lower', separator: '_' };
const pinecone: NameRules = { maxLength: 45, letterCase: 'lower', separator: '-' };
const tenantId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/);

describe('physicalName', () => {
  it('is readable: a slug of the id between the prefix and the hash', () => {
    expect(physicalName({ prefix: 'tv', tenantId: 'Acme-Corp', rules: postgres })).toBe(`tv_acme_corp_${hashOf('Acme-Corp')}`);
  });

  it('fits the rules for every valid id: length, case and characters', () => {
    fc.assert(
      fc.property(tenantId, (id) => {
        for (const rules of [postgres, pinecone]) {
          const name = physicalName({ prefix: 'tenantvec', tenantId: id, rules });
          expect(name.length).toBeLessThanOrEqual(rules.maxLength);
          expect(name).toMatch(rules.separator === '_' ? /^[a-z][a-z0-9_]*$/ : /^[a-z][a-z0-9-]*$/);
        }
      }),
    );
  });

  it('never maps two ids to one name, even where case, punctuation or truncation fold them', () => {
    const ids = ['acme', 'Acme', 'ACME', 'a_c', 'a-c', 'a.c', 'ac', 'x'.repeat(127) + 'a', 'x'.repeat(127) + 'b'];
    const names = ids.map((id) => physicalName({ prefix: 'tv', tenantId: id, rules: pinecone }));
    expect(new Set(names).size).toBe(ids.length);
    fc.assert(
      fc.property(tenantId, tenantId, (left, right) => {
        fc.pre(left !== right);
        expect(physicalName({ prefix: 'tv', tenantId: left, rules: postgres })).not.toBe(physicalName({ prefix: 'tv', tenantId: right, rules: postgres }));
      }),
    );
  });

  it('refuses a prefix the backend could not hold', () => {
    expect(() => physicalName({ prefix: 'Bad', tenantId: 'a', rules: postgres })).toThrow(ConfigurationError);
    expect(() => physicalName({ prefix: 'with-dash', tenantId: 'a', rules: postgres })).toThrow(ConfigurationError);
    expect(() => physicalName({ prefix: 'p'.repeat(40), tenantId: 'a', rules: pinecone })).toThrow(ConfigurationError);
  });

  it('hashes to 13 base32 characters that depend on every byte', () => {
    expect(hashOf('acme')).toMatch(/^[a-z2-7]{13}$/);
    expect(hashOf('acme')).not.toBe(hashOf('acmf'));
    expect(hashOf('acme')).toBe(hashOf('acme'));
  });
});
