/**
 * Compile-time tie between the emulator's schemas and the client's published OpenAPI types:
 * `npm run typecheck` fails if a schema here accepts a body that `@qdrant/js-client-rest` 1.19
 * would not type, so the emulator cannot drift into accepting what Qdrant's API does not define.
 */
import type { Schemas } from '@qdrant/js-client-rest';
import type { z } from 'zod';
import type * as schemas from './request-schemas.js';

/** Every body the emulator accepts is a value of the published type, and names no other top-level field. */
type AllKeys<T> = T extends unknown ? keyof T : never;
type NoExtraKeys<Published, Emulated> = [Exclude<AllKeys<Emulated>, AllKeys<Published>>] extends [never] ? true : false;
type Accepts<Published, Emulated> = [Emulated] extends [Published] ? NoExtraKeys<Published, Emulated> : false;
type Assert<T extends true> = T;

export type SchemaChecks = [
  Assert<Accepts<Schemas['CreateCollection'], z.infer<typeof schemas.createCollection>>>,
  Assert<Accepts<Schemas['UpdateCollection'], z.infer<typeof schemas.updateCollection>>>,
  Assert<Accepts<Schemas['CreateFieldIndex'], z.infer<typeof schemas.createFieldIndex>>>,
  Assert<Accepts<Schemas['CreateShardingKey'], z.infer<typeof schemas.createShardingKey>>>,
  Assert<Accepts<Schemas['DropShardingKey'], z.infer<typeof schemas.dropShardingKey>>>,
  Assert<Accepts<Schemas['PointInsertOperations'], z.infer<typeof schemas.pointsList>>>,
  Assert<Accepts<Schemas['PointsSelector'], z.infer<typeof schemas.pointsSelector>>>,
  Assert<Accepts<Schemas['QueryRequest'], z.infer<typeof schemas.queryRequest>>>,
  Assert<Accepts<Schemas['CountRequest'], z.infer<typeof schemas.countRequest>>>,
  Assert<Accepts<Schemas['ScrollRequest'], z.infer<typeof schemas.scrollRequest>>>,
  Assert<Accepts<Schemas['PointRequest'], z.infer<typeof schemas.pointRequest>>>,
  Assert<Accepts<Schemas['FacetRequest'], z.infer<typeof schemas.facetRequest>>>,
  Assert<Accepts<Schemas['Filter'], z.infer<typeof schemas.filter>>>,
];
