import type { BackendUnderTest } from '@tenantvec/conformance';
import { createEmbeddedDatabase, pglite } from './index.js';

/** Test support, not shipped: PGlite for the conformance suite, one embedded engine per test file (starting one takes 1–3 s). */
export function pgliteUnderTest(): BackendUnderTest {
  let embedded: ReturnType<typeof createEmbeddedDatabase> | undefined;
  return {
    name: 'pglite',
    async create(settings = {}) {
      embedded ??= createEmbeddedDatabase();
      return pglite({ pglite: await embedded, ...settings });
    },
    async teardown() {
      const engine = embedded;
      embedded = undefined;
      await (await engine)?.close();
    },
  };
}
