import { z } from 'zod';

/**
 * Request bodies of the Pinecone API 2026-04, as `@pinecone-database/pinecone` 8.2.0 sends them
 * (its generated `*ToJSON` models under `pinecone-generated-ts-fetch` name the wire fields).
 *
 * What Pinecone does with a key outside these models is not documented (ASSUMPTION, see the
 * emulator's header), so the emulator offers both: `refuse` (strict objects, 400) and `ignore`
 * (the key is dropped, as a lenient JSON decoder does). The adapter's own request-shape test
 * holds it to the official models whichever mode the emulator runs in.
 */
export type UnknownFields = 'refuse' | 'ignore';

function build(unknownFields: UnknownFields) {
  // `z.object` strips unknown keys, which is what a service that ignores them amounts to.
  const object = <Shape extends z.ZodRawShape>(shape: Shape) => (unknownFields === 'refuse' ? z.strictObject(shape) : z.object(shape));
  const sparseValues = object({ indices: z.array(z.number().int().nonnegative()), values: z.array(z.number()) });
  const filter = z.record(z.string(), z.unknown());
  const vector = object({
    id: z.string(),
    values: z.array(z.number()).optional(),
    sparseValues: sparseValues.optional(),
    // Values are checked one by one later, to answer with Pinecone's message naming the field.
    metadata: z.record(z.string(), z.unknown()).optional(),
  });
  return {
    upsert: object({ vectors: z.array(vector), namespace: z.string().optional() }),
    query: object({
      namespace: z.string().optional(),
      topK: z.number().int(),
      filter: filter.optional(),
      includeValues: z.boolean().optional(),
      includeMetadata: z.boolean().optional(),
      queries: z.array(z.unknown()).optional(),
      vector: z.array(z.number()).optional(),
      sparseVector: sparseValues.optional(),
      id: z.string().optional(),
      scanFactor: z.number().optional(),
      maxCandidates: z.number().int().optional(),
    }),
    delete: object({
      ids: z.array(z.string()).optional(),
      deleteAll: z.boolean().optional(),
      namespace: z.string().optional(),
      filter: filter.optional(),
    }),
    fetchByMetadata: object({
      namespace: z.string().optional(),
      filter: filter.optional(),
      limit: z.number().int().optional(),
      paginationToken: z.string().optional(),
    }),
    describeIndexStats: object({ filter: filter.optional() }),
    createNamespace: object({ name: z.string(), schema: z.unknown().optional() }),
    createIndex: object({
      name: z.string(),
      dimension: z.number().int().optional(),
      metric: z.enum(['cosine', 'euclidean', 'dotproduct']).optional(),
      deletion_protection: z.enum(['enabled', 'disabled']).optional(),
      tags: z.record(z.string(), z.string()).optional(),
      spec: z.union([
        object({
          serverless: object({
            cloud: z.enum(['gcp', 'aws', 'azure']),
            region: z.string(),
            read_capacity: z.unknown().optional(),
            source_collection: z.string().optional(),
            schema: z.unknown().optional(),
          }),
        }),
        object({ pod: z.record(z.string(), z.unknown()) }),
        object({ byoc: z.record(z.string(), z.unknown()) }),
      ]),
      vector_type: z.enum(['dense', 'sparse']).optional(),
    }),
  };
}

export type RequestSchemas = ReturnType<typeof build>;

const built = { refuse: build('refuse'), ignore: build('ignore') };

export function requestSchemas(unknownFields: UnknownFields): RequestSchemas {
  return built[unknownFields];
}

/** The first problem zod found, as one line: `vectors.0.values: expected array`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid request body';
  const path = issue.path.join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}
