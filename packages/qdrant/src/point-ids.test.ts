import { describe, expect, it } from 'vitest';
import { pointIdOf, uuidV5 } from './point-ids.js';

describe('point ids', () => {
  it('derives RFC 9562 version 5 UUIDs (the RFC example: www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('is deterministic and sets the version and variant bits', () => {
    const id = pointIdOf('acme:doc-1');
    expect(pointIdOf('acme:doc-1')).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps (partition, id) pairs apart, however their characters line up', () => {
    const ids = [
      pointIdOf('doc'),
      pointIdOf('doc', 't-a'),
      pointIdOf('doc', 't-b'),
      pointIdOf('a:doc'),
      pointIdOf('b:doc'),
      pointIdOf('","doc', 't'),
      pointIdOf('doc', 't","'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});
