import { validateClass, validateProperty, SchemaError, type ClassSchema, type PropertySchema } from './class-schema.js';
import { compileFilter, type FilterContext, type Predicate, type ProtoFilter } from './proto-filters.js';

/** What the emulator holds: classes, their tenants (shards) and objects. One in-process map. */

export type TenantStatus = 'ACTIVE' | 'INACTIVE' | 'OFFLOADED';

export interface StoredObject {
  uuid: string;
  properties: Record<string, unknown>;
  vector?: Float32Array;
  /** The named vector `vector` is, or '' in a collection without named vectors. */
  vectorName?: string;
}

export interface Shard {
  status: TenantStatus;
  objects: Map<string, StoredObject>;
  /** Fixed by the first vector written, as an HNSW index fixes it. */
  dimension?: number;
}

export interface EmulatedClass {
  schema: ClassSchema;
  properties: Map<string, PropertySchema>;
  /** Tenants by name; a single-tenant class keeps its one shard under ''. */
  shards: Map<string, Shard>;
}

/** A request the server refuses; `kind` picks the REST status or gRPC code. */
export class RequestError extends Error {
  constructor(readonly kind: 'invalid' | 'not-found' | 'unprocessable' | 'precondition', message: string) {
    super(message);
  }
}

const tenantNamePattern = /^[A-Za-z0-9_-]{1,64}$/;

export class EmulatorState {
  readonly classes = new Map<string, EmulatedClass>();
  version = '';

  createClass(input: unknown): ClassSchema {
    const schema = validateClass(input);
    // Weaviate compares class names case-insensitively when checking for duplicates.
    for (const existing of this.classes.keys()) {
      if (existing.toLowerCase() === schema.class.toLowerCase()) throw new SchemaError(422, `class name "${schema.class}" already exists`);
    }
    const shards = new Map<string, Shard>();
    if (!schema.multiTenancyConfig.enabled) shards.set('', { status: 'ACTIVE', objects: new Map() });
    this.classes.set(schema.class, { schema, properties: new Map(schema.properties.map((property) => [property.name, property])), shards });
    return schema;
  }

  requireClass(name: string): EmulatedClass {
    const found = this.classes.get(name);
    if (found === undefined) throw new RequestError('not-found', `could not find class ${name} in schema`);
    return found;
  }

  addProperty(className: string, input: unknown): PropertySchema {
    const target = this.requireClass(className);
    const property = validateProperty(input, className);
    if ([...target.properties.keys()].some((name) => name.toLowerCase() === property.name.toLowerCase())) {
      throw new SchemaError(422, `class "${className}": conflict for property "${property.name}": already in use or provided multiple times`);
    }
    target.properties.set(property.name, property);
    target.schema.properties.push(property);
    return property;
  }

  requireMultiTenant(className: string): EmulatedClass {
    const target = this.requireClass(className);
    if (!target.schema.multiTenancyConfig.enabled) throw new RequestError('unprocessable', `multi-tenancy is not enabled for class "${className}"`);
    return target;
  }

  addTenant(className: string, name: unknown, status: TenantStatus): void {
    const target = this.requireMultiTenant(className);
    if (typeof name !== 'string' || !tenantNamePattern.test(name)) {
      throw new RequestError('unprocessable', `tenant name should only contain alphanumeric characters (a-z, A-Z, 0-9), underscore (_), and hyphen (-), with a length between 1 and 64 characters`);
    }
    const existing = target.shards.get(name);
    if (existing === undefined) target.shards.set(name, { status, objects: new Map() });
  }

  /**
   * The shard a data request reads or writes, with Weaviate's checks: a multi-tenant class
   * needs an existing, active tenant; a single-tenant class refuses one.
   */
  shardFor(className: string, tenant: string | undefined): { target: EmulatedClass; shard: Shard } {
    const target = this.requireClass(className);
    const multiTenant = target.schema.multiTenancyConfig.enabled;
    if (multiTenant && !tenant) throw new RequestError('invalid', `class ${className} has multi-tenancy enabled, but request was without tenant`);
    if (!multiTenant && tenant) throw new RequestError('invalid', `class ${className} has multi-tenancy disabled, but request was with tenant`);
    const shard = target.shards.get(tenant ?? '');
    if (shard === undefined) throw new RequestError('not-found', `tenant not found: "${tenant}"`);
    if (shard.status !== 'ACTIVE') {
      if (target.schema.multiTenancyConfig.autoTenantActivation) shard.status = 'ACTIVE';
      else throw new RequestError('precondition', `tenant not active: "${tenant}"`);
    }
    return { target, shard };
  }

  predicate(target: EmulatedClass, filter: ProtoFilter | undefined): Predicate {
    if (filter === undefined) return () => true;
    const context: FilterContext = {
      className: target.schema.class,
      properties: target.properties,
      indexNullState: target.schema.invertedIndexConfig.indexNullState === true,
    };
    return compileFilter(filter, context);
  }
}
