import { BACKEND_DESCRIPTOR_VERSION, type BackendDescriptor } from '../backend-descriptor.js';
import { memoryDecision } from '../decision/decision-profile.js';
import { memoryBackend, memorySettingsSchema, type MemoryBackendSettings } from './memory-backend.js';

/** The one backend core carries itself: `type: memory` needs no package. */
export const memoryBackendDescriptor: BackendDescriptor = {
  descriptorVersion: BACKEND_DESCRIPTOR_VERSION,
  type: 'memory',
  packageName: '@tenantvec/core',
  settingsSchema: memorySettingsSchema,
  create: (settings) => memoryBackend(settings as MemoryBackendSettings),
  decision: memoryDecision,
  embedded: true,
  bench: {
    async open({ settings }) {
      return { backend: memoryBackend(settings as MemoryBackendSettings), dispose: async () => {}, disposeRemovesData: true };
    },
  },
};
