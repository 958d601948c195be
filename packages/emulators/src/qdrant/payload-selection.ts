/**
 * Payload selectors (`with_payload` as a list, `{ include }` or `{ exclude }`) over dotted paths,
 * as tests/openapi/test_payload_selector.py (`test_payload_selectors`) shows Qdrant 1.19 answering:
 * `country.name` keeps `{ country: { name } }`, `country.cities[].name` keeps the name of every
 * element, `country.cities` as an exclude drops that key and keeps the rest of `country`. Where a
 * path meets a list without `[]`, it applies to every element, as in filters. Index paths
 * (`cities[0]`) and quoted keys are not implemented.
 */

type Json = unknown;
interface Step {
  key: string;
  eachElement: boolean;
}

const isRecord = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);

function stepsOf(path: string): Step[] {
  return path.split('.').map((part) => (part.endsWith('[]') ? { key: part.slice(0, -2), eachElement: true } : { key: part, eachElement: false }));
}

/** The part of `value` that lies on the path, in its place; undefined when nothing does. */
function project(value: Json, steps: Step[]): Json {
  if (steps.length === 0) return structuredClone(value);
  if (Array.isArray(value)) return value.map((element) => project(element, steps)).filter((element) => element !== undefined);
  if (!isRecord(value) || !(steps[0]!.key in value)) return undefined;
  const [{ key, eachElement }, ...rest] = steps as [Step, ...Step[]];
  const child = value[key];
  if (eachElement && !Array.isArray(child)) return undefined;
  const inner = project(child, rest);
  return inner === undefined ? undefined : { [key]: inner };
}

/** Two projections of one payload, merged: objects key by key, lists element by element. */
function merge(left: Json, right: Json): Json {
  if (isRecord(left) && isRecord(right)) {
    const merged = { ...left };
    for (const [key, value] of Object.entries(right)) merged[key] = key in merged ? merge(merged[key], value) : value;
    return merged;
  }
  if (Array.isArray(left) && Array.isArray(right) && left.length === right.length) return left.map((element, index) => merge(element, right[index]));
  return right;
}

function remove(value: Json, steps: Step[]): void {
  if (Array.isArray(value)) {
    for (const element of value) remove(element, steps);
    return;
  }
  if (!isRecord(value) || steps.length === 0) return;
  const [{ key }, ...rest] = steps as [Step, ...Step[]];
  if (rest.length === 0) delete value[key];
  else remove(value[key], rest);
}

export function includePaths(payload: Record<string, Json>, paths: string[]): Record<string, Json> {
  return paths.reduce<Record<string, Json>>((kept, path) => {
    const part = project(payload, stepsOf(path));
    return isRecord(part) ? (merge(kept, part) as Record<string, Json>) : kept;
  }, {});
}

export function excludePaths(payload: Record<string, Json>, paths: string[]): Record<string, Json> {
  const copy = structuredClone(payload);
  for (const path of paths) remove(copy, stepsOf(path));
  return copy;
}
