/** A strict Qdrant REST emulator, its filter semantics and the OpenAPI excerpt it checks requests against. */
export { EMULATED_QDRANT_VERSION, QdrantEmulator, startQdrantEmulator, type Fault, type LoggedRequest } from './qdrant-emulator.js';
export { canonicalId, compareIds, matchesQdrantFilter, valuesAt, type PointView } from './qdrant-filter.js';
export { openApiExcerpt, problemsOf, schemaProblems, type JsonSchema } from './openapi-schema-check.js';
export { startedOnFirstUse } from '../started-on-first-use.js';
