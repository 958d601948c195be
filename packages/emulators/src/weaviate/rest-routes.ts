import type { IncomingMessage, ServerResponse } from 'node:http';
import { SchemaError } from './class-schema.js';
import { RequestError, type EmulatorState, type TenantStatus } from './emulator-state.js';

/**
 * The REST endpoints weaviate-client 3.x calls for metadata, schema and tenants, with
 * Weaviate's error body `{"error":[{"message":"..."}]}` and its status codes (404 missing
 * class, 422 invalid or conflicting input).
 */

export const EMULATED_WEAVIATE_VERSION = '1.33.0';
const MAX_BODY_BYTES = 10 * 1024 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const statusNames: Record<string, TenantStatus> = {
  HOT: 'ACTIVE', ACTIVE: 'ACTIVE', COLD: 'INACTIVE', INACTIVE: 'INACTIVE', FROZEN: 'OFFLOADED', OFFLOADED: 'OFFLOADED',
};

function tenantStatus(value: unknown): TenantStatus {
  if (value === undefined) return 'ACTIVE';
  const status = typeof value === 'string' ? statusNames[value] : undefined;
  if (status === undefined) throw new HttpError(422, `invalid activity status: ${String(value)}`);
  return status;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

function send(response: ServerResponse, status: number, body?: unknown): void {
  response.statusCode = status;
  if (body === undefined) {
    response.end();
    return;
  }
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify(body));
}

function tenantList(state: EmulatorState, className: string) {
  return [...state.requireMultiTenant(className).shards].map(([name, shard]) => ({ name, activityStatus: shard.status }));
}

async function route(state: EmulatorState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const method = request.method ?? 'GET';
  if (parts[0] !== 'v1') throw new HttpError(404, `no route for ${url.pathname}`);
  const [, resource, className, sub, subName] = parts;
  if (resource === 'meta' && method === 'GET') {
    return send(response, 200, { hostname: 'http://127.0.0.1', version: state.version || EMULATED_WEAVIATE_VERSION, modules: {}, grpcMaxMessageSize: 104_858_000 });
  }
  if (resource === '.well-known' && method === 'GET') return send(response, 200);
  if (resource !== 'schema') throw new HttpError(404, `no route for ${url.pathname}`);
  if (className === undefined) {
    if (method === 'GET') return send(response, 200, { classes: [...state.classes.values()].map((entry) => entry.schema) });
    if (method === 'POST') return send(response, 200, state.createClass(await readJson(request)));
    throw new HttpError(405, 'method not allowed');
  }
  if (sub === undefined) {
    if (method === 'GET') return send(response, 200, state.requireClass(className).schema);
    if (method === 'DELETE') {
      state.classes.delete(className);
      return send(response, 200);
    }
    throw new HttpError(405, 'method not allowed');
  }
  if (sub === 'properties' && method === 'POST') return send(response, 200, state.addProperty(className, await readJson(request)));
  if (sub !== 'tenants') throw new HttpError(404, `no route for ${url.pathname}`);
  if (subName !== undefined) {
    const found = tenantList(state, className).find((tenant) => tenant.name === subName);
    if (method === 'HEAD') return send(response, found === undefined ? 404 : 200);
    if (method === 'GET') return found === undefined ? send(response, 404) : send(response, 200, found);
    throw new HttpError(405, 'method not allowed');
  }
  if (method === 'GET') return send(response, 200, tenantList(state, className));
  const body = await readJson(request);
  if (!Array.isArray(body)) throw new HttpError(422, 'body must be an array');
  if (method === 'DELETE') {
    const target = state.requireMultiTenant(className);
    if (!body.every((name) => typeof name === 'string')) throw new HttpError(422, 'tenant names must be strings');
    for (const name of body as string[]) target.shards.delete(name);
    return send(response, 200);
  }
  for (const tenant of body) {
    if (typeof tenant !== 'object' || tenant === null || Object.keys(tenant).some((key) => key !== 'name' && key !== 'activityStatus')) {
      throw new HttpError(422, 'a tenant is an object with name and activityStatus only');
    }
  }
  const tenants = body as { name: unknown; activityStatus?: unknown }[];
  if (method === 'POST') {
    for (const tenant of tenants) state.addTenant(className, tenant.name, tenantStatus(tenant.activityStatus));
    return send(response, 200, tenants.map((tenant) => ({ name: tenant.name, activityStatus: tenantStatus(tenant.activityStatus) })));
  }
  if (method === 'PUT') {
    const target = state.requireMultiTenant(className);
    for (const tenant of tenants) {
      const shard = target.shards.get(String(tenant.name));
      if (shard === undefined) throw new HttpError(422, `tenant "${String(tenant.name)}" not found`);
      shard.status = tenantStatus(tenant.activityStatus);
    }
    return send(response, 200, tenants.map((tenant) => ({ name: tenant.name, activityStatus: tenantStatus(tenant.activityStatus) })));
  }
  throw new HttpError(405, 'method not allowed');
}

/** Handles one request; `beforeCall` may throw an injected `{ status }` failure. */
export async function handleRest(state: EmulatorState, request: IncomingMessage, response: ServerResponse, beforeCall: () => void): Promise<void> {
  try {
    beforeCall();
    await route(state, request, response);
  } catch (error) {
    const status = error instanceof HttpError || error instanceof SchemaError
      ? error.status
      : error instanceof RequestError
        ? (error.kind === 'not-found' ? 404 : 422)
        : typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 500;
    send(response, status, { error: [{ message: (error as Error).message }] });
  }
}
