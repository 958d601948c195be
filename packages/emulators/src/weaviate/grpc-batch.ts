import type { EmulatedClass, EmulatorState } from './emulator-state.js';
import { float32 } from './grpc-vectors.js';

/**
 * BatchObjects: each object is checked as Weaviate checks it with auto-schema off (collection,
 * tenant, UUID, every property known and of its type, vector dimension fixed per shard); a
 * refused object becomes an entry of the reply's `errors`, the others are written.
 */

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type PropertyValidator = (value: unknown) => boolean;
const validators: Record<string, PropertyValidator> = {
  text: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number',
  int: (value) => typeof value === 'number' && Number.isInteger(value),
  boolean: (value) => typeof value === 'boolean',
  'text[]': (value) => Array.isArray(value) && value.every((item) => typeof item === 'string'),
  'number[]': (value) => Array.isArray(value) && value.every((item) => typeof item === 'number'),
  'boolean[]': (value) => Array.isArray(value) && value.every((item) => typeof item === 'boolean'),
};

export interface BatchObjectMessage {
  uuid: string;
  vector: number[];
  vectorBytes: Uint8Array;
  vectors: { name: string; vectorBytes: Uint8Array }[];
  collection: string;
  tenant: string;
  properties?: {
    nonRefProperties?: Record<string, unknown>;
    textArrayProperties: { propName: string; values: string[] }[];
    numberArrayProperties: { propName: string; values: number[]; valuesBytes: Uint8Array }[];
    intArrayProperties: { propName: string; values: number[] }[];
    booleanArrayProperties: { propName: string; values: boolean[] }[];
    objectProperties: unknown[];
    objectArrayProperties: unknown[];
    singleTargetRefProps: unknown[];
    multiTargetRefProps: unknown[];
    emptyListProps: string[];
  };
}

function objectProperties(message: BatchObjectMessage, target: EmulatedClass): Record<string, unknown> {
  const given = message.properties;
  const properties: Record<string, unknown> = { ...(given?.nonRefProperties ?? {}) };
  for (const entry of given?.textArrayProperties ?? []) properties[entry.propName] = [...entry.values];
  for (const entry of given?.booleanArrayProperties ?? []) properties[entry.propName] = [...entry.values];
  for (const entry of given?.intArrayProperties ?? []) properties[entry.propName] = [...entry.values];
  for (const entry of given?.numberArrayProperties ?? []) {
    properties[entry.propName] = entry.valuesBytes.length > 0 ? [...new Float64Array(entry.valuesBytes.slice().buffer)] : [...entry.values];
  }
  for (const name of given?.emptyListProps ?? []) properties[name] = [];
  if ((given?.objectProperties.length ?? 0) + (given?.objectArrayProperties.length ?? 0) + (given?.singleTargetRefProps.length ?? 0) + (given?.multiTargetRefProps.length ?? 0) > 0) {
    throw new Error('object and reference properties are not supported by this emulator');
  }
  const className = target.schema.class;
  for (const [name, value] of Object.entries(properties)) {
    const property = target.properties.get(name);
    if (property === undefined) {
      throw new Error(`no such prop with name '${name}' found in class '${className}' in the schema. Check your schema files for which properties in this class are available`);
    }
    const dataType = property.dataType[0]!;
    if (value === null) continue;
    if (!(validators[dataType]?.(value) ?? false)) {
      throw new Error(`invalid ${dataType} property '${name}' on class '${className}': wrong value type ${Array.isArray(value) ? 'array' : typeof value}`);
    }
  }
  return properties;
}

export function writeObject(state: EmulatorState, message: BatchObjectMessage): void {
  const { target, shard } = state.shardFor(message.collection, message.tenant || undefined);
  if (!uuidPattern.test(message.uuid)) throw new Error(`invalid UUID length or format: '${message.uuid}'`);
  const properties = objectProperties(message, target);
  const vectorNames = Object.keys(target.schema.vectorConfig);
  for (const named of message.vectors) {
    if (!vectorNames.includes(named.name)) throw new Error(`collection ${target.schema.class} does not have configuration for vector ${named.name}`);
  }
  const vector = float32(message.vectorBytes) ?? (message.vector.length > 0 ? Float32Array.from(message.vector) : undefined) ?? float32(message.vectors[0]?.vectorBytes);
  if (vector !== undefined) {
    const dimension = shard.dimension;
    if (dimension !== undefined && dimension !== vector.length) {
      throw new Error(`new node has a vector with length ${vector.length}. Existing nodes have vectors with length ${dimension}`);
    }
    shard.dimension = vector.length;
  }
  const uuid = message.uuid.toLowerCase();
  // An unnamed vector lands in the collection's first named vector, as Weaviate maps it to `default`.
  const vectorName = message.vectors[0]?.name || vectorNames[0] || '';
  shard.objects.set(uuid, { uuid, properties, ...(vector === undefined ? {} : { vector, vectorName }) });
}
