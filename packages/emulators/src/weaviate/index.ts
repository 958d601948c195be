/** A strict Weaviate emulator: REST schema routes and the gRPC search and batch services. */
export { EMULATED_WEAVIATE_VERSION, startWeaviateEmulator, type InjectedFault, type WeaviateEmulator, type WeaviateEmulatorOptions } from './weaviate-emulator.js';
export { startedOnFirstUse } from '../started-on-first-use.js';
