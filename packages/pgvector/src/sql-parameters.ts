/** Where a statement's values go while its text is assembled: bound `$n`, or inlined literals. */
export interface ParameterSink {
  /** The values to bind, in `$n` order; always empty when values are inlined. */
  readonly values: unknown[];
  /** The text that stands for `value` in the statement. */
  add(value: unknown): string;
}

/** Collects bound parameters while SQL text is assembled, handing back `$n` placeholders. */
export class SqlParameters implements ParameterSink {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
