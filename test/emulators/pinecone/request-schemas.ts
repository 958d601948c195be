import { z } from 'zod';

/**
 * Request bodies of the Pinecone API 2026-04, as `@pinecone-database/pinecone` 8.2.0 sends them
 * (its generated `*ToJSON` models name the wire fields). Objects are strict: an unknown field is
 * refused, as Pinecone's schema validation does.
 */
const metadataValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
const sparseValues = z.strictObject({ indices: z.array(z.number().int().nonnegative()), values: z.array(z.number()) });
const filter = z.record(z.string(), z.unknown());

export const vectorSchema = z.strictObject({
  id: z.string(),
  values: z.array(z.number()).optional(),
  sparseValues: sparseValues.optional(),
  // Values are checked one by one later, to answer with Pinecone's message naming the field.
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export const upsertSchema = z.strictObject({
  vectors: z.array(vectorSchema),
  namespace: z.string().optional(),
});

export const querySchema = z.strictObject({
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
});

export const deleteSchema = z.strictObject({
  ids: z.array(z.string()).optional(),
  deleteAll: z.boolean().optional(),
  namespace: z.string().optional(),
  filter: filter.optional(),
});

export const fetchByMetadataSchema = z.strictObject({
  namespace: z.string().optional(),
  filter: filter.optional(),
  limit: z.number().int().optional(),
  paginationToken: z.string().optional(),
});

export const describeIndexStatsSchema = z.strictObject({ filter: filter.optional() });

export const createNamespaceSchema = z.strictObject({ name: z.string(), schema: z.unknown().optional() });

export const createIndexSchema = z.strictObject({
  name: z.string(),
  dimension: z.number().int().optional(),
  metric: z.enum(['cosine', 'euclidean', 'dotproduct']).optional(),
  deletion_protection: z.enum(['enabled', 'disabled']).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  spec: z.union([
    z.strictObject({
      serverless: z.strictObject({
        cloud: z.enum(['gcp', 'aws', 'azure']),
        region: z.string(),
        read_capacity: z.unknown().optional(),
        source_collection: z.string().optional(),
        schema: z.unknown().optional(),
      }),
    }),
    z.strictObject({ pod: z.record(z.string(), z.unknown()) }),
    z.strictObject({ byoc: z.record(z.string(), z.unknown()) }),
  ]),
  vector_type: z.enum(['dense', 'sparse']).optional(),
});

export { metadataValue };

/** The first problem zod found, as one line: `vectors.0.values: expected array`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid request body';
  const path = issue.path.join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}
