import { BACKEND_DESCRIPTOR_VERSION, type BackendDescriptor } from '@tenantvec/core/backend';
import { pinecone } from './pinecone-backend.js';
import { pineconeDecision } from './pinecone-plans.js';
import { pineconeSettingsSchema, type PineconeBackendSettings } from './pinecone-settings.js';

export const pineconeBackendDescriptor: BackendDescriptor = {
  descriptorVersion: BACKEND_DESCRIPTOR_VERSION,
  type: 'pinecone',
  packageName: '@tenantvec/pinecone',
  settingsSchema: pineconeSettingsSchema,
  create: (settings) => pinecone(settings as PineconeBackendSettings),
  decision: pineconeDecision,
};

/** What `@tenantvec/core` looks for in this package: `type: pinecone`. */
export const backendDescriptors: readonly BackendDescriptor[] = [pineconeBackendDescriptor];
