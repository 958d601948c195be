import { runConformance } from '@tenantvec/conformance';
import { pgliteUnderTest } from './pglite-under-test.js';

/** PGlite × the strategies that share a table between tenants; see pglite-conformance-own-storage.test.ts. */
runConformance(pgliteUnderTest(), { strategies: ['metadata-filter', 'source-prefix'] });
