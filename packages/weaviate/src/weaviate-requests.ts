import { BackendError, ConfigurationError, TenantVecError } from '@tenantvec/core';
import { emptyWhenMissing, withRetries, type Location } from '@tenantvec/core/backend';
import type { Collection, WeaviateClient } from 'weaviate-client';
import { openClient } from './weaviate-connection.js';
import { backendError, failureKind, isMissingLocation } from './weaviate-errors.js';
import { toWeaviateCollection } from './weaviate-names.js';
import { DEFAULT_MAX_TOTAL_MS, type WeaviateBackendSettings, type WeaviateRetrySettings } from './weaviate-settings.js';

const MINIMUM_VERSION = [1, 33];

/** Retryable `BackendError`s: `call` has already read the vendor's failure into one. */
const classify = (error: unknown) => ({ retryable: TenantVecError.isInstance(error) && error.code === 'BACKEND' && error.isRetryable });

/**
 * Runs an operation, retrying retryable `BackendError`s with the toolkit's backoff, within
 * `maxTotalMs` in all. weaviate-client's own gRPC retry covers only UNAVAILABLE and no REST
 * status; this covers 429/5xx, RESOURCE_EXHAUSTED, CANCELLED, timeouts and connection resets on
 * both transports.
 */
export function withWeaviateRetries<T>(run: () => Promise<T>, settings: WeaviateRetrySettings = {}): Promise<T> {
  const { maxTotalMs = DEFAULT_MAX_TOTAL_MS, ...retry } = settings;
  const spent = () => new BackendError(`Weaviate did not answer within ${maxTotalMs} ms (retry.maxTotalMs); the server may be down or restarting.`, { retryable: true });
  return withRetries({ run, classify, settings: retry, budget: { maxTotalMs, spent } });
}

/** The connection and the calls every part of the adapter shares. */
export class WeaviateRequests {
  private connection?: Promise<{ client: WeaviateClient; owned: boolean }>;

  constructor(private readonly settings: WeaviateBackendSettings) {}

  /** The client, connecting on first use; a failed connection is not kept, the next call connects again. */
  connect(): Promise<WeaviateClient> {
    const connecting = this.connection ?? (async () => {
      const opened = await openClient(this.settings);
      const meta = await opened.client.getMeta();
      const [major = 0, minor = 0] = String(meta.version).split('.').map(Number);
      if (major < MINIMUM_VERSION[0]! || (major === MINIMUM_VERSION[0] && minor < MINIMUM_VERSION[1]!)) {
        throw new ConfigurationError(`@tenantvec/weaviate needs Weaviate ${MINIMUM_VERSION.join('.')} or newer (Not filters); the server runs ${meta.version}.`);
      }
      return opened;
    })();
    this.connection = connecting;
    return connecting.then((opened) => opened.client, (error: unknown) => {
      if (this.connection === connecting) this.connection = undefined;
      throw error;
    });
  }

  /** A Weaviate call with retries; failures become BackendErrors. */
  call<T>(operation: string, run: (client: WeaviateClient) => Promise<T>): Promise<T> {
    return withWeaviateRetries(async () => {
      try {
        return await run(await this.connect());
      } catch (error) {
        throw backendError(operation, error);
      }
    }, this.settings.retry);
  }

  /**
   * Runs a data call on a location. Missing collections and tenants read as `empty` (a write,
   * given no `empty`, fails instead); an inactive tenant is activated and the call retried once,
   * or reported, by `inactiveTenants`.
   */
  async onLocation<T>(operation: string, location: Location, empty: T | undefined, run: (handle: Collection) => Promise<T>): Promise<T> {
    const attempt = () => this.activatingOnce(operation, location, run);
    if (empty !== undefined) return emptyWhenMissing({ run: attempt, isMissing: isMissingLocation, empty });
    try {
      return await attempt();
    } catch (error) {
      if (isMissingLocation(error)) throw new BackendError('The location to write to does not exist.', { cause: error });
      throw error;
    }
  }

  private async activatingOnce<T>(operation: string, location: Location, run: (handle: Collection) => Promise<T>): Promise<T> {
    for (let activated = false; ; activated = true) {
      try {
        return await this.call(operation, (client) => run(handleOf(client, location)));
      } catch (error) {
        if (failureKind(error) !== 'inactive-tenant' || activated || location.partition === undefined) throw error;
        await this.activate(location);
      }
    }
  }

  private async activate(location: Location): Promise<void> {
    if ((this.settings.inactiveTenants ?? 'activate') === 'error') {
      throw new BackendError("The tenant's Weaviate partition is inactive or offloaded; activate it, or set inactiveTenants: 'activate'.");
    }
    await this.call('tenant activation', (client) => client.collections.use(toWeaviateCollection(location.collection)).tenants.activate(location.partition!));
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection === undefined) return;
    const opened = await connection.catch(() => undefined);
    if (opened?.owned === true) await opened.client.close();
  }
}

function handleOf(client: WeaviateClient, location: Location): Collection {
  const collection = client.collections.use(toWeaviateCollection(location.collection)) as Collection;
  return location.partition === undefined ? collection : collection.withTenant(location.partition);
}
