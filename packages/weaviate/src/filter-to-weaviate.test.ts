import { type Filter } from '@tenantvec/core';
import { parseFilter } from '@tenantvec/core/backend';
import { describe, expect, it } from 'vitest';
import { nextUp, scopeFilter, translateFilter } from './filter-to-weaviate.js';

const everything = () => true;
const translate = (filter: Filter, has: (name: string) => boolean = everything) => JSON.parse(JSON.stringify(translateFilter(parseFilter(filter)!, has))) as unknown;

describe('filter translation', () => {
  it('reads a string from the text property and, as "contains", from the list property', () => {
    expect(translate({ kind: 'pdf' })).toMatchObject({
      operator: 'Or',
      filters: [
        { operator: 'Equal', target: { property: 'm_kind__s' }, value: 'pdf' },
        { operator: 'ContainsAny', target: { property: 'm_kind__l' }, value: ['pdf'] },
      ],
    });
  });

  it('reads numbers and booleans only from their own typed property: 1 never meets "1"', () => {
    expect(translate({ year: 2024 })).toMatchObject({ operator: 'Equal', target: { property: 'm_year__i' }, value: 2024 });
    expect(translate({ year: 2024.5 })).toMatchObject({ operator: 'Equal', target: { property: 'm_year__n' }, value: 2024.5 });
    expect(translate({ year: '2024' })).toMatchObject({ operator: 'Or' });
    expect(translate({ draft: false })).toMatchObject({ operator: 'Equal', target: { property: 'm_draft__b' }, value: false });
  });

  it('sends integers only to int properties and non-integers only to number properties, same answers', () => {
    expect(translate({ year: { $gte: 2023 } })).toMatchObject({
      operator: 'Or',
      filters: [
        { operator: 'GreaterThanEqual', target: { property: 'm_year__i' }, value: 2023 },
        { operator: 'GreaterThanEqual', target: { property: 'm_year__n' }, value: nextUp(2023) },
      ],
    });
    expect(translate({ year: { $gt: 2024.5 } })).toMatchObject({
      filters: [{ operator: 'GreaterThanEqual', target: { property: 'm_year__i' }, value: 2025 }, { operator: 'GreaterThan', value: 2024.5 }],
    });
    expect(translate({ year: { $lte: 2024.5 } })).toMatchObject({ filters: [{ operator: 'LessThanEqual', value: 2024 }, { operator: 'LessThanEqual', value: 2024.5 }] });
    expect(translate({ year: { $lt: -3 } })).toMatchObject({ filters: [{ operator: 'LessThan', value: -3 }, { operator: 'LessThanEqual', value: -nextUp(3) }] });
    expect(translate({ year: { $gt: 1e300 } })).toBe(false);
    expect(translate({ year: { $lt: 1e300 } })).toMatchObject({ filters: [{ operator: 'LessThanEqual', value: Number.MAX_SAFE_INTEGER }, { operator: 'LessThanEqual', value: 2 ** 52 - 0.5 }] });
    expect(translate({ year: 2 ** 60 })).toBe(false);
    for (const value of [0, 1, -1, 2023, -(2 ** 51), 2 ** 52 - 1]) {
      expect(Number.isInteger(nextUp(value))).toBe(false);
      expect(nextUp(value)).toBeGreaterThan(value);
    }
  });

  it('negates $ne and $nin with Not, so records without the key pass them', () => {
    expect(translate({ year: { $ne: 2024 } })).toMatchObject({ operator: 'Not', filters: [{ operator: 'Equal', value: 2024 }] });
    expect(translate({ year: { $nin: [1, 2] } })).toMatchObject({ operator: 'Not', filters: [{ operator: 'Or' }] });
  });

  it('answers $exists from the list of keys a record holds', () => {
    expect(translate({ tags: { $exists: true } })).toMatchObject({ operator: 'ContainsAny', target: { property: 'tv_keys' }, value: ['tags'] });
    expect(translate({ tags: { $exists: false } })).toMatchObject({ operator: 'Not', filters: [{ target: { property: 'tv_keys' } }] });
  });

  it('folds leaves on properties the collection does not have: Weaviate would refuse them', () => {
    const none = () => false;
    expect(translate({ year: 2024 }, none)).toBe(false);
    expect(translate({ year: { $ne: 2024 } }, none)).toBe(true);
    expect(translate({ year: { $gt: 1 } }, none)).toBe(false);
    expect(translate({ $or: [{ year: 1 }, { kind: { $exists: true } }] }, none)).toMatchObject({ operator: 'ContainsAny', target: { property: 'tv_keys' } });
    expect(translate({ $and: [{ year: 1 }, { kind: { $exists: true } }] }, none)).toBe(false);
    expect(translate({ kind: 'pdf' }, (name) => name === 'm_kind__l')).toMatchObject({ operator: 'ContainsAny', target: { property: 'm_kind__l' } });
  });

  it('writes the walls as exact matches on the tenant property and the source ancestors', () => {
    expect(scopeFilter({})).toBe(true);
    expect(JSON.parse(JSON.stringify(scopeFilter({ tenant: 'acme', sourcePrefix: 'acme/kb' })))).toMatchObject({
      operator: 'And',
      filters: [
        { operator: 'Equal', target: { property: 'tv_tenant' }, value: 'acme' },
        { operator: 'ContainsAny', target: { property: 'tv_source_ancestors' }, value: ['acme/kb'] },
      ],
    });
  });
});
