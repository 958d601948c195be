import type { z } from 'zod';
import { QdrantHttpError } from './emulator-store.js';
import { validationRule } from './request-schemas.js';

/**
 * Reads a body as Qdrant's actix layer does (src/actix/mod.rs, `validation_error_handler`):
 * a body that does not deserialize is 400 `Format error in JSON body: …`; one that does but
 * breaks a `validator` rule is 422 `Validation error in JSON body: [path: message; …]`.
 * Serde stops at the first problem, so a format error wins over validation errors beside it.
 */

type Issue = z.core.$ZodIssue;

const isRule = (issue: Issue) => issue.code === 'custom' && issue.params?.kind === validationRule;

/**
 * Qdrant's validator paths: `points[0].vector`, `vectors.size`. `IdfParams` validates its corpus
 * filter in place (`impl Validate for IdfParams`, lib/segment/src/types.rs), so `idf.corpus.must`
 * is reported as `idf.must`.
 */
function pathOf(fullPath: PropertyKey[]): string {
  const path = fullPath.filter((part, index) => !(part === 'corpus' && fullPath[index - 1] === 'idf'));
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}

/**
 * Options of a request struct in Qdrant that `#[serde(flatten)]`s an inner one: its validation
 * paths start with the inner field's name (`internal.limit` in a query), except the outer keys.
 */
export interface Flattening {
  into: string;
  outer?: string[];
}

/**
 * A union none of whose branches parsed is a format error, unless one branch failed only by
 * breaking rules: serde took that variant (untagged enums take the first that deserializes) and
 * the validator then refused it. Such a branch's issues stand for the union's.
 */
function settled(issue: Issue, base: PropertyKey[] = []): Issue[] {
  const path = [...base, ...issue.path];
  if (issue.code !== 'invalid_union') return [{ ...issue, path }];
  for (const branch of issue.errors) {
    const inner = branch.flatMap((candidate) => settled(candidate, path));
    if (inner.length > 0 && inner.every(isRule)) return inner;
  }
  return [{ ...issue, path }];
}

export function parse<T>(schema: z.ZodType<T>, body: unknown, flattening?: Flattening): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => settled(issue));
  const formatIssues = issues.filter((issue) => !isRule(issue));
  if (formatIssues.length > 0) {
    // Serde stops at the first unknown field; report those before type errors found alongside.
    const issue = formatIssues.find((candidate) => candidate.code === 'unrecognized_keys') ?? formatIssues[0]!;
    const where = issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
    const unknown = issue.code === 'unrecognized_keys' ? `unknown field \`${issue.keys[0]}\`` : issue.message;
    throw new QdrantHttpError(400, `Format error in JSON body: ${where}${unknown}`);
  }
  const described = issues.map((issue) => {
    const outer = flattening === undefined || (flattening.outer ?? ['shard_key']).includes(String(issue.path[0]));
    return `${pathOf(outer ? issue.path : [flattening.into, ...issue.path])}: ${issue.message}`;
  });
  throw new QdrantHttpError(422, `Validation error in JSON body: [${described.join('; ')}]`);
}
