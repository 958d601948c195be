import { ServerError, Status } from 'nice-grpc';

/** Vectors on the wire: little-endian float32 bytes, as weaviate-client sends and reads them. */

export function float32(bytes: Uint8Array | undefined): Float32Array | undefined {
  if (bytes === undefined || bytes.length === 0) return undefined;
  if (bytes.length % 4 !== 0) throw new ServerError(Status.INVALID_ARGUMENT, 'vector bytes are not a whole number of float32 values');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

export function bytesOf(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer.slice(0));
}
