import { memoryBackend } from '@tenantvec/core';
import { runConformance } from './index.js';

/**
 * The memory backend, the suite's reference: it runs here rather than in core because this
 * package depends on core (and on the strategies, which peer on core), so core cannot depend back.
 */
runConformance({ name: 'memory', create: async (settings = {}) => memoryBackend(settings) });
