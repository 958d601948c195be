import { readFileSync } from 'node:fs';

/**
 * A small JSON-schema checker over `qdrant-openapi-excerpt.json`, the component schemas of
 * Qdrant's official OpenAPI document (1.19.0) that tenantvec's requests and the collection info
 * refer to; `extract-openapi-excerpt.mjs` says how it was made. It is independent of the
 * emulator's zod schemas on purpose: the adapter's tests hold the requests it sends to the
 * vendor's schema, not to the emulator's reading of it.
 *
 * Stricter than JSON Schema in one way: an object schema with `properties` and no
 * `additionalProperties` is closed, so any key the schema does not name is a problem. That is
 * the adapter's bar (send nothing Qdrant does not define), not Qdrant's: Qdrant ignores most
 * unknown keys. `oneOf` is read as `anyOf`, because Qdrant's untagged enums overlap (an integer
 * is also a number) and Qdrant takes the first variant that parses.
 */

export interface JsonSchema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

interface Excerpt {
  about: { source: string; qdrantVersion: string; commit: string; roots: string[] };
  schemas: Record<string, JsonSchema>;
}

export const openApiExcerpt = JSON.parse(readFileSync(new URL('./qdrant-openapi-excerpt.json', import.meta.url), 'utf8')) as Excerpt;

const uuidPattern = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
const unsignedFormats = new Set(['uint', 'uint8', 'uint16', 'uint32', 'uint64', 'usize']);

function resolve(schema: JsonSchema): JsonSchema {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const found = openApiExcerpt.schemas[name];
  if (found === undefined) throw new Error(`The OpenAPI excerpt lacks ${name}: add it to the roots of extract-openapi-excerpt.mjs.`);
  return found;
}

function typeProblem(schema: JsonSchema, value: unknown, where: string): string | undefined {
  const { type } = schema;
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  const fits = type === 'integer' ? Number.isInteger(value) : type === 'number' ? typeof value === 'number' : actual === type;
  if (!fits) return `${where}: expected ${type}, got ${actual}`;
  if (typeof value === 'number') {
    if (schema.format !== undefined && unsignedFormats.has(schema.format) && value < 0) return `${where}: ${value} is below 0`;
    if (schema.minimum !== undefined && value < schema.minimum) return `${where}: ${value} is below ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${where}: ${value} is above ${schema.maximum}`;
  }
  if (schema.format === 'uuid' && typeof value === 'string' && !uuidPattern.test(value)) return `${where}: ${JSON.stringify(value)} is not a UUID`;
  return undefined;
}

function objectProblems(schema: JsonSchema, value: Record<string, unknown>, where: string): string[] {
  const problems: string[] = [];
  for (const key of schema.required ?? []) if (!(key in value)) problems.push(`${where}: missing \`${key}\``);
  for (const [key, inner] of Object.entries(value)) {
    const named = schema.properties?.[key];
    const at = `${where}.${key}`;
    if (named !== undefined) problems.push(...problemsOf(named, inner, at));
    else if (typeof schema.additionalProperties === 'object') problems.push(...problemsOf(schema.additionalProperties, inner, at));
    else if (schema.additionalProperties !== true) problems.push(`${where}: key \`${key}\` is not in the schema`);
  }
  return problems;
}

/** Every way `value` breaks `schema`, each with the path where it does; [] when it conforms. */
export function problemsOf(schema: JsonSchema, value: unknown, where = '$'): string[] {
  const resolved = resolve(schema);
  if (value === null && resolved.nullable === true) return [];
  const alternatives = resolved.anyOf ?? resolved.oneOf;
  if (alternatives !== undefined) {
    const outcomes = alternatives.map((alternative) => problemsOf(alternative, value, where));
    if (outcomes.some((problems) => problems.length === 0)) return [];
    // The branch meant is the one whose shape fits here, however wrong it is deeper down.
    const here = (problems: string[]) => problems.filter((problem) => problem.startsWith(`${where}: `)).length;
    return outcomes.reduce((best, problems) => (here(problems) < here(best) || (here(problems) === here(best) && problems.length < best.length) ? problems : best));
  }
  const problems = (resolved.allOf ?? []).flatMap((part) => problemsOf(part, value, where));
  if (resolved.enum !== undefined && !resolved.enum.includes(value)) problems.push(`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(resolved.enum)}`);
  if (resolved.type === undefined) {
    // `{ nullable: true }` alone is the null branch of an optional field.
    if (resolved.nullable === true && Object.keys(resolved).length === 1 && value !== null) problems.push(`${where}: expected null`);
    return problems;
  }
  const wrongType = typeProblem(resolved, value, where);
  if (wrongType !== undefined) return [...problems, wrongType];
  if (resolved.type === 'array') {
    const items = value as unknown[];
    if (resolved.minItems !== undefined && items.length < resolved.minItems) problems.push(`${where}: fewer than ${resolved.minItems} items`);
    if (resolved.maxItems !== undefined && items.length > resolved.maxItems) problems.push(`${where}: more than ${resolved.maxItems} items`);
    if (resolved.items !== undefined) items.forEach((item, index) => problems.push(...problemsOf(resolved.items!, item, `${where}[${index}]`)));
  }
  if (resolved.type === 'object') problems.push(...objectProblems(resolved, value as Record<string, unknown>, where));
  return problems;
}

/** The problems of a value of the named component schema, e.g. `schemaProblems('QueryRequest', body)`. */
export function schemaProblems(name: string, value: unknown): string[] {
  return problemsOf({ $ref: `#/components/schemas/${name}` }, value);
}
