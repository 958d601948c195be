import { runConformance } from '@tenantvec/conformance';
import { pgliteUnderTest } from './pglite-under-test.js';

/**
 * PGlite × the strategies that give a tenant storage of its own. The other two run in
 * pglite-conformance-shared-storage.test.ts: two files, so the slowest suite of the repository
 * runs on both cores.
 */
runConformance(pgliteUnderTest(), { strategies: ['collection-per-tenant', 'namespace-per-tenant'] });
