import { runConformance } from '@tenantvec/conformance';
import { createEmbeddedDatabase, pglite } from './index.js';

/** One embedded engine for every handle: starting one takes 1–3 s. */
let embedded: ReturnType<typeof createEmbeddedDatabase> | undefined;

runConformance({
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
});
