import {
  createTenantVectorStore,
  type Embedder,
  type KeywordSettings,
  type IsolationStrategy,
  type Metric,
  type StoreHooks,
  type TenantVectorStore,
  type VectorBackend,
} from '@tenantvec/core';
import type { BackendUnderTest } from './backend-under-test.js';
import { uniqueStoreName } from './vectors.js';

/** Every backend method call a store made, in order: how tests prove "before any I/O". */
export type CallLog = string[];

export interface StoreOptions {
  dimension?: number;
  metric?: Metric;
  embedder?: Embedder;
  /** The store's own batch limit. */
  maxBatchSize?: number;
  /** The backend's per-request limit, to exercise batch splitting. */
  backendMaxBatchSize?: number;
  /** Another strategy than the suite's own, for a second tier or a migration target. */
  strategy?: IsolationStrategy;
  /** The store's operation hooks, such as a write fence. */
  hooks?: readonly StoreHooks[];
  /** Replaces backend methods, to inject failures. */
  intercept?: (method: string, call: () => Promise<unknown>, callIndex: number) => Promise<unknown>;
  /** The store's name from the unique one the harness picks, to set names against each other. */
  name?: (unique: string) => string;
  /** Another store of this harness whose backend handle this store shares (and leaves open). */
  sharingBackendWith?: TenantVectorStore;
  /** The store's keyword settings (the opt-in to shared term statistics). */
  keyword?: KeywordSettings;
}

export interface Harness {
  backendName: string;
  strategyName: string;
  /** The metric stores get unless a case asks for another. */
  metric: Metric;
  newStore(options?: StoreOptions): Promise<{ store: TenantVectorStore; calls: CallLog; capabilities: VectorBackend['capabilities'] }>;
  closeAll(): Promise<void>;
}

/** Wraps a backend so every call is logged and may be intercepted. */
function recorded(backend: VectorBackend, calls: CallLog, intercept: StoreOptions['intercept']): VectorBackend {
  const counts = new Map<string, number>();
  return new Proxy(backend, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        calls.push(property);
        const index = counts.get(property) ?? 0;
        counts.set(property, index + 1);
        const call = () => Promise.resolve(value.apply(target, args));
        return intercept === undefined ? call() : intercept(property, call, index);
      };
    },
  });
}

/** A handle another store owns: closing this store must leave it open for its owner. */
function borrowed(handle: VectorBackend): VectorBackend {
  return new Proxy(handle, {
    get: (target, property, receiver) => (property === 'close' ? async () => {} : Reflect.get(target, property, receiver)),
  });
}

export function createHarness(backend: BackendUnderTest, strategy: { name: string; create(): IsolationStrategy }, settings: { metric?: Metric } = {}): Harness {
  const metric = settings.metric ?? 'cosine';
  const stores: TenantVectorStore[] = [];
  const handles = new WeakMap<TenantVectorStore, VectorBackend>();
  return {
    backendName: backend.name,
    strategyName: strategy.name,
    metric,
    async newStore(options = {}) {
      const calls: CallLog = [];
      const shared = options.sharingBackendWith === undefined ? undefined : handles.get(options.sharingBackendWith);
      const handle = shared === undefined
        ? await backend.create(options.backendMaxBatchSize === undefined ? {} : { maxBatchSize: options.backendMaxBatchSize })
        : borrowed(shared);
      const unique = uniqueStoreName();
      const store = await createTenantVectorStore({
        backend: recorded(handle, calls, options.intercept),
        strategy: options.strategy ?? strategy.create(),
        dimension: options.dimension ?? 8,
        metric: options.metric ?? metric,
        name: options.name === undefined ? unique : options.name(unique),
        ...(options.embedder === undefined ? {} : { embedder: options.embedder }),
        ...(options.maxBatchSize === undefined ? {} : { maxBatchSize: options.maxBatchSize }),
        ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
        ...(options.keyword === undefined ? {} : { keyword: options.keyword }),
      });
      stores.push(store);
      handles.set(store, handle);
      calls.length = 0;
      return { store, calls, capabilities: handle.capabilities };
    },
    async closeAll() {
      await Promise.all(stores.splice(0).map((store) => store.close()));
    },
  };
}
