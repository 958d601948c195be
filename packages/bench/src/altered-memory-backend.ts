import { memoryBackend, type VectorBackend } from '@tenantvec/core';
import type { BenchBackend } from './bench-backends.js';

/**
 * Test support, not shipped: a memory backend with some members replaced (a method that drops the
 * walls, a capability taken away), the kind of backend the bench is there to catch or to report on.
 */
export function alteredMemoryBackend(name: string, change: (inner: VectorBackend) => Partial<VectorBackend>): BenchBackend {
  return {
    name,
    embedded: true,
    async open() {
      const inner = memoryBackend();
      const backend = Object.assign(Object.create(inner) as VectorBackend, change(inner));
      return { backend, dispose: async () => {}, disposeRemovesData: true };
    },
  };
}
