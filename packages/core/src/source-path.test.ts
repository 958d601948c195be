import { describe, expect, it } from 'vitest';
import { InvalidSourceError } from './errors.js';
import { isWithinSource, normalizeSource, sourceAncestors } from './source-path.js';

describe('source paths', () => {
  it('drops one trailing slash and refuses ambiguous spellings', () => {
    expect(normalizeSource('kb/finance/')).toBe('kb/finance');
    for (const bad of ['', '/', '/kb', 'kb//x', 'kb/./x', 'kb/../x', 'kb/x//', 'a\nb', 7]) {
      expect(() => normalizeSource(bad)).toThrow(InvalidSourceError);
    }
  });

  it('matches folders segment by segment, with no wildcard characters', () => {
    expect(isWithinSource('kb/fin', 'kb/fin')).toBe(true);
    expect(isWithinSource('kb/fin/q4', 'kb/fin')).toBe(true);
    expect(isWithinSource('kb/finance', 'kb/fin')).toBe(false);
    expect(isWithinSource('kb/abc/x', 'kb/a_c')).toBe(false);
    expect(isWithinSource('acme-corp/x', 'acme')).toBe(false);
    expect(isWithinSource(undefined, 'kb')).toBe(false);
  });

  it('lists ancestors shortest first', () => {
    expect(sourceAncestors('a/b/c')).toEqual(['a', 'a/b', 'a/b/c']);
  });
});
