import { validateInvertedIndexConfig, type InvertedIndexConfig } from './inverted-index-config.js';

/**
 * Validation and defaults of the REST class (collection) schema, after Weaviate 1.33's OpenAPI
 * `Class` and `Property` definitions. Unknown keys, bad names, unknown data types, tokenizations
 * and `indexSearchable` on non-text properties, and a bad `invertedIndexConfig` are refused with
 * 422, as Weaviate refuses them.
 */

export interface PropertySchema {
  name: string;
  dataType: string[];
  description?: string;
  tokenization?: string;
  indexFilterable?: boolean;
  indexSearchable?: boolean;
  indexRangeFilters?: boolean;
  moduleConfig?: unknown;
  nestedProperties?: unknown;
}

export interface ClassSchema {
  class: string;
  description?: string;
  properties: PropertySchema[];
  vectorConfig: Record<string, { vectorizer: unknown; vectorIndexType: string; vectorIndexConfig: Record<string, unknown> }>;
  invertedIndexConfig: InvertedIndexConfig;
  multiTenancyConfig: { enabled: boolean; autoTenantCreation: boolean; autoTenantActivation: boolean };
  replicationConfig: Record<string, unknown>;
  shardingConfig: Record<string, unknown>;
  moduleConfig: Record<string, unknown>;
  vectorizer?: string;
}

export class SchemaError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const classNamePattern = /^[A-Z][_0-9A-Za-z]{0,254}$/;
const propertyNamePattern = /^[_A-Za-z][_0-9A-Za-z]{0,230}$/;
const reservedPropertyNames = new Set(['_additional', '_id', 'id']);
const dataTypes = new Set(['text', 'text[]', 'int', 'int[]', 'number', 'number[]', 'boolean', 'boolean[]', 'date', 'date[]', 'uuid', 'uuid[]', 'geoCoordinates', 'phoneNumber', 'blob', 'object', 'object[]']);
const tokenizations = new Set(['word', 'lowercase', 'whitespace', 'field', 'trigram', 'gse', 'kagome_kr', 'kagome_ja', 'gse_ch']);
const distances = new Set(['cosine', 'dot', 'l2-squared', 'hamming', 'manhattan']);
const vectorIndexTypes = new Set(['hnsw', 'flat', 'dynamic']);
/** `vectorizers` is not in the OpenAPI Class, but weaviate-client 3.x sends it and the server ignores it. */
const classKeys = new Set(['class', 'description', 'properties', 'vectorConfig', 'vectorIndexType', 'vectorIndexConfig', 'vectorizer', 'invertedIndexConfig', 'multiTenancyConfig', 'replicationConfig', 'shardingConfig', 'moduleConfig', 'objectTtlConfig', 'vectorizers']);
const propertyKeys = new Set(['name', 'dataType', 'description', 'tokenization', 'indexFilterable', 'indexSearchable', 'indexRangeFilters', 'indexInverted', 'moduleConfig', 'nestedProperties']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unprocessable(message: string): never {
  throw new SchemaError(422, message);
}

function checkKeys(value: Record<string, unknown>, allowed: Set<string>, what: string): void {
  for (const key of Object.keys(value)) if (!allowed.has(key)) unprocessable(`${what}: unknown field "${key}"`);
}

export function validateProperty(input: unknown, className: string): PropertySchema {
  if (!isRecord(input)) unprocessable('property must be an object');
  checkKeys(input, propertyKeys, 'property');
  const { name, dataType, tokenization } = input;
  if (typeof name !== 'string' || !propertyNamePattern.test(name)) {
    unprocessable(`'${String(name)}' is not a valid property name. Property names in Weaviate are restricted to valid GraphQL names, which must be “/[_A-Za-z][_0-9A-Za-z]{0,230}/”.`);
  }
  if (reservedPropertyNames.has(name)) unprocessable(`'${name}' is a reserved property name`);
  if (!Array.isArray(dataType) || dataType.length !== 1 || typeof dataType[0] !== 'string' || !dataTypes.has(dataType[0])) {
    unprocessable(`property '${name}': invalid dataType ${JSON.stringify(dataType)} in class ${className}`);
  }
  const isText = dataType[0] === 'text' || dataType[0] === 'text[]';
  if (tokenization !== undefined && (!isText || typeof tokenization !== 'string' || !tokenizations.has(tokenization))) {
    unprocessable(`Tokenization '${String(tokenization)}' is not allowed for data type '${dataType[0]}'`);
  }
  for (const flag of ['indexFilterable', 'indexSearchable', 'indexRangeFilters'] as const) {
    if (input[flag] !== undefined && typeof input[flag] !== 'boolean') unprocessable(`property '${name}': ${flag} must be a boolean`);
  }
  // usecases/schema/validation.go: only text and text[] have a BM25 (searchable) index.
  if (input.indexSearchable === true && !isText) unprocessable(`property '${name}': \`indexSearchable\` is not allowed for other than text/text[] data types`);
  return {
    ...(input as unknown as PropertySchema),
    tokenization: isText ? (tokenization as string | undefined) ?? 'word' : undefined,
    indexFilterable: (input.indexFilterable as boolean | undefined) ?? true,
    indexSearchable: (input.indexSearchable as boolean | undefined) ?? isText,
    indexRangeFilters: (input.indexRangeFilters as boolean | undefined) ?? false,
  } as PropertySchema;
}

const flatDefaults = { vectorCacheMaxObjects: 1_000_000_000_000, pq: { enabled: false, cache: false, rescoreLimit: -1 }, bq: { enabled: false, cache: false, rescoreLimit: -1 } };
const hnswDefaults = {
  skip: false, cleanupIntervalSeconds: 300, maxConnections: 32, efConstruction: 128, ef: -1, dynamicEfMin: 100, dynamicEfMax: 500,
  dynamicEfFactor: 8, vectorCacheMaxObjects: 1_000_000_000_000, flatSearchCutoff: 40_000, filterStrategy: 'sweeping',
  pq: { enabled: false }, bq: { enabled: false }, sq: { enabled: false }, multivector: { enabled: false, aggregation: 'maxSim' },
};

/** The vector index settings Weaviate fills in and returns for what a client left out. */
function indexDefaults(type: string, given: Record<string, unknown>, distance: string): Record<string, unknown> {
  if (type === 'flat') return { ...flatDefaults, ...given, distance };
  if (type === 'dynamic') {
    return { threshold: 10_000, ...given, distance, hnsw: { ...hnswDefaults, distance, ...(given.hnsw as object) }, flat: { ...flatDefaults, distance, ...(given.flat as object) } };
  }
  return { ...hnswDefaults, ...given, distance };
}

function validateVectorConfig(input: unknown): ClassSchema['vectorConfig'] {
  if (input === undefined) return { default: { vectorizer: { none: {} }, vectorIndexType: 'hnsw', vectorIndexConfig: indexDefaults('hnsw', {}, 'cosine') } };
  if (!isRecord(input)) unprocessable('vectorConfig must be an object');
  const result: ClassSchema['vectorConfig'] = {};
  for (const [name, config] of Object.entries(input)) {
    if (!isRecord(config)) unprocessable(`vectorConfig.${name} must be an object`);
    checkKeys(config, new Set(['vectorizer', 'vectorIndexType', 'vectorIndexConfig']), `vectorConfig.${name}`);
    const indexType = (config.vectorIndexType as string | undefined) ?? 'hnsw';
    if (!vectorIndexTypes.has(indexType)) unprocessable(`vectorConfig.${name}: unknown vector index type "${indexType}"`);
    const indexConfig = isRecord(config.vectorIndexConfig) ? config.vectorIndexConfig : {};
    const distance = (indexConfig.distance as string | undefined) ?? 'cosine';
    if (!distances.has(distance)) unprocessable(`vectorConfig.${name}: unknown distance "${distance}"`);
    result[name] = { vectorizer: config.vectorizer ?? { none: {} }, vectorIndexType: indexType, vectorIndexConfig: indexDefaults(indexType, indexConfig, distance) };
  }
  return result;
}

/** A class as POST /v1/schema receives it, checked and completed with the server's defaults. */
export function validateClass(input: unknown): ClassSchema {
  if (!isRecord(input)) unprocessable('class must be an object');
  checkKeys(input, classKeys, 'class');
  const name = input.class;
  if (typeof name !== 'string' || !classNamePattern.test(name)) {
    unprocessable(`'${String(name)}' is not a valid class name`);
  }
  if (input.description !== undefined && typeof input.description !== 'string') unprocessable('description must be a string');
  const properties = Array.isArray(input.properties) ? input.properties.map((property) => validateProperty(property, name)) : [];
  const seen = new Set<string>();
  for (const property of properties) {
    if (seen.has(property.name.toLowerCase())) unprocessable(`class "${name}": conflict for property "${property.name}": already in use or provided multiple times`);
    seen.add(property.name.toLowerCase());
  }
  const tenancy = isRecord(input.multiTenancyConfig) ? input.multiTenancyConfig : {};
  checkKeys(tenancy, new Set(['enabled', 'autoTenantCreation', 'autoTenantActivation']), 'multiTenancyConfig');
  return {
    class: name,
    ...(typeof input.description === 'string' ? { description: input.description } : {}),
    properties,
    vectorConfig: validateVectorConfig(input.vectorConfig),
    invertedIndexConfig: validateInvertedIndexConfig(input.invertedIndexConfig),
    multiTenancyConfig: {
      enabled: tenancy.enabled === true,
      autoTenantCreation: tenancy.autoTenantCreation === true,
      autoTenantActivation: tenancy.autoTenantActivation === true,
    },
    replicationConfig: { factor: 1, asyncEnabled: false, deletionStrategy: 'NoAutomatedResolution', ...(isRecord(input.replicationConfig) ? input.replicationConfig : {}) },
    shardingConfig: isRecord(input.shardingConfig) ? input.shardingConfig : {
      virtualPerPhysical: 128, desiredCount: 1, actualCount: 1, desiredVirtualCount: 128, actualVirtualCount: 128,
      key: '_id', strategy: 'hash', function: 'murmur3',
    },
    moduleConfig: isRecord(input.moduleConfig) ? input.moduleConfig : {},
    vectorizer: 'none',
  };
}
