import { BackendError } from '@tenantvec/core';
import type { ParameterSink } from './sql-parameters.js';

/**
 * The one place a value becomes SQL text. Only for statements sent through the simple query
 * protocol (several statements in one round trip), which takes no bound parameters.
 *
 * - strings: always the escape-string form `E'…'::text` with `\` and `'` doubled, so the text
 *   means the same whether or not `standard_conforming_strings` is on; NUL is refused (Postgres
 *   text cannot hold it, and a driver would cut the statement there);
 * - numbers: finite only, in JavaScript's shortest round-trip decimal form, parenthesised when
 *   negative so a following cast or operator cannot bind to the digits alone;
 * - booleans and null as keywords;
 * - arrays of strings or nulls: `ARRAY[…]::text[]` (the call site casts on to `jsonb[]` if it
 *   needs to), so an empty array still has a type.
 * Anything else is refused: a value this function does not know how to render safely is a bug.
 */
export function renderLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return `${renderString(value)}::text`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new BackendError('An SQL literal cannot hold NaN or an infinity.');
    return value < 0 || Object.is(value, -0) ? `(${String(value)})` : String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => {
      if (item === null || item === undefined) return 'NULL';
      if (typeof item !== 'string') throw new BackendError('An SQL array literal holds only strings or nulls.');
      return renderString(item);
    });
    return `ARRAY[${items.join(', ')}]::text[]`;
  }
  throw new BackendError(`An SQL literal cannot be made of a value of type ${typeof value}.`);
}

function renderString(value: string): string {
  if (value.includes('\u0000')) throw new BackendError('An SQL literal cannot hold NUL.');
  return `E'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/** A parameter sink that inlines every value as a literal, for the one-round-trip path. */
export class InlineParameters implements ParameterSink {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    return renderLiteral(value);
  }
}
