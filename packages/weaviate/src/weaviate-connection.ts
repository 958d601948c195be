import weaviate, { type WeaviateClient } from 'weaviate-client';
import type { WeaviateBackendSettings, WeaviateConnectionSettings } from './weaviate-settings.js';

function fromUrl(value: string | undefined): { host: string; port: number; secure: boolean } | undefined {
  if (value === undefined || value === '') return undefined;
  const url = new URL(value.includes('://') ? value : `http://${value}`);
  const secure = url.protocol === 'https:';
  return { host: url.hostname, port: url.port === '' ? (secure ? 443 : 80) : Number(url.port), secure };
}

/** Connection settings completed from WEAVIATE_URL, WEAVIATE_GRPC_URL and WEAVIATE_API_KEY. */
export function resolveConnection(settings: WeaviateConnectionSettings, env: NodeJS.ProcessEnv = process.env) {
  const http = fromUrl(env.WEAVIATE_URL);
  const grpc = fromUrl(env.WEAVIATE_GRPC_URL);
  const httpHost = settings.httpHost ?? http?.host ?? 'localhost';
  const httpSecure = settings.httpSecure ?? http?.secure ?? false;
  return {
    httpHost,
    httpPort: settings.httpPort ?? http?.port ?? 8080,
    httpSecure,
    grpcHost: settings.grpcHost ?? grpc?.host ?? httpHost,
    grpcPort: settings.grpcPort ?? grpc?.port ?? 50051,
    grpcSecure: settings.grpcSecure ?? grpc?.secure ?? httpSecure,
    apiKey: settings.apiKey ?? env.WEAVIATE_API_KEY,
  };
}

/** The client to use, and whether closing the backend closes it. */
export async function openClient(settings: WeaviateBackendSettings): Promise<{ client: WeaviateClient; owned: boolean }> {
  if (settings.client !== undefined) {
    return { client: typeof settings.client === 'function' ? await settings.client() : settings.client, owned: false };
  }
  const connection = resolveConnection(settings);
  const timeouts = settings.timeoutSeconds ?? {};
  const client = await weaviate.connectToCustom({
    httpHost: connection.httpHost,
    httpPort: connection.httpPort,
    httpSecure: connection.httpSecure,
    grpcHost: connection.grpcHost,
    grpcPort: connection.grpcPort,
    grpcSecure: connection.grpcSecure,
    ...(connection.apiKey === undefined || connection.apiKey === '' ? {} : { authCredentials: new weaviate.ApiKey(connection.apiKey) }),
    ...(settings.headers === undefined ? {} : { headers: settings.headers }),
    timeout: { init: timeouts.init ?? 5, query: timeouts.query ?? 30, insert: timeouts.insert ?? 90 },
  });
  return { client, owned: true };
}
