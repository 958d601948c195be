/** A strict Pinecone serverless emulator (control and data plane) and its metadata-filter semantics. */
export {
  EMULATED_API_VERSION,
  PineconeEmulator,
  controlError,
  dataError,
  grpc,
  startPineconeEmulator,
  type InjectedFault,
  type PineconeEmulatorOptions,
  type Reply,
} from './pinecone-emulator.js';
export { filterProblem, matchesPineconeFilter, type StoredMetadata } from './emulator-filter.js';
export { startedOnFirstUse } from '../started-on-first-use.js';
