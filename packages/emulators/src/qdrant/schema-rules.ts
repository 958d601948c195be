import { z } from 'zod';
import { QdrantHttpError } from './emulator-store.js';
import { openApiExcerpt } from './openapi-schema-check.js';

/**
 * The two ways Qdrant 1.19 reads a request object, shared by every schema of the emulator (see
 * `request-schemas.ts` for where each rule comes from): leniently, as serde does, and with
 * `validator` rules whose failure is a 422 rather than a format error.
 */

const officialSchemas = openApiExcerpt.schemas;

export const unsigned = z.number().int().nonnegative();
export const positive = z.number().int().positive();

/** Marks a `validator` rule: its failure is Qdrant's 422, not a format error. */
export const validationRule = 'qdrant-validation';

export const rule = <T>(holds: (value: T) => boolean, message: (value: T) => string) =>
  (value: T, context: z.core.$RefinementCtx<T>) => {
    if (!holds(value)) context.addIssue({ code: 'custom', message: message(value), params: { kind: validationRule } });
  };

/** A rule broken at a path below the value checked (`?.values` in a map of named vectors). */
export function ruleIssue(context: z.core.$RefinementCtx, path: (string | number)[], message: string): void {
  context.addIssue({ code: 'custom', message, path, params: { kind: validationRule } });
}

export const atLeast = (minimum: number) => unsigned.superRefine(rule((value) => value >= minimum, (value) => `value ${value} invalid, must be ${minimum} or larger`));

/**
 * An object Qdrant reads leniently: unknown keys are dropped, aliases renamed, and a key its
 * official schema names but the emulator does not implement is refused with 501.
 */
export function lenient<Shape extends z.ZodRawShape>(official: string, shape: Shape, aliases: Record<string, keyof Shape & string> = {}) {
  const properties = officialSchemas[official]?.properties;
  if (properties === undefined) throw new Error(`${official} is not an object schema of the OpenAPI excerpt`);
  const defined = new Set(Object.keys(properties));
  return z.preprocess((value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const renamed: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [alias, name] of Object.entries(aliases)) {
      if (!(alias in renamed)) continue;
      if (name in renamed) throw new QdrantHttpError(400, `Format error in JSON body: duplicate field \`${name}\``);
      renamed[name] = renamed[alias];
      delete renamed[alias];
    }
    const missing = Object.keys(renamed).find((key) => defined.has(key) && !(key in shape) && renamed[key] != null);
    if (missing !== undefined) throw new QdrantHttpError(501, `Not implemented by the emulator: \`${missing}\` of ${official} is part of Qdrant's API but not emulated`);
    return renamed;
  }, z.object(shape));
}

export const notEmulated = (what: string) => new QdrantHttpError(501, `Not implemented by the emulator: ${what}`);
