import { BackendError } from '@tenantvec/core/backend';
import { describe, expect, it } from 'vitest';
import { parseVectorText } from './record-rows.js';

describe('parseVectorText', () => {
  it('reads every form pgvector prints a float4 in: exponents, negative zero, no spaces', () => {
    // Forms of pgvector's vector_out (float_to_shortest_decimal_buf): 1e-07, -0, 3.4028235e+38.
    expect(parseVectorText('[1e-07,-0,3.5,-3.4028235e+38,0.1]')).toEqual([1e-7, -0, 3.5, -3.4028235e38, 0.1]);
    expect(Object.is(parseVectorText('[-0]')[0], -0)).toBe(true);
  });

  it('refuses a row without its vector with a typed error', () => {
    expect(() => parseVectorText(undefined)).toThrow(BackendError);
  });
});
