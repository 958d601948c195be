/**
 * A `vector[]` in Postgres's binary array format, sent as one bound parameter: the server reads
 * it with `array_recv` and pgvector's `vector_recv`, so neither side formats or parses a decimal
 * number. On 384-d vectors this takes serialisation from the largest cost of an upsert (text
 * through `toSql` and `vector_in`, ~5,000 records/s of JavaScript alone here) to a small one.
 *
 * Layout (array_recv): int32 dimensions = 1, int32 flags = 0 (no nulls), uint32 element type
 * oid, int32 length, int32 lower bound = 1; then per element an int32 byte length and the
 * element (vector_recv): int16 dimension, int16 unused = 0, float4 × dimension. All big-endian.
 */
export function encodeVectorArray(vectors: readonly (readonly number[])[], elementType: number): Buffer {
  const sizes = vectors.map((vector) => 4 + 4 * vector.length);
  const buffer = Buffer.allocUnsafe(20 + sizes.reduce((total, size) => total + 4 + size, 0));
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  view.setInt32(0, 1);
  view.setInt32(4, 0);
  view.setUint32(8, elementType);
  view.setInt32(12, vectors.length);
  view.setInt32(16, 1);
  let offset = 20;
  for (const [index, vector] of vectors.entries()) {
    view.setInt32(offset, sizes[index]!);
    view.setInt16(offset + 4, vector.length);
    view.setInt16(offset + 6, 0);
    offset += 8;
    for (const value of vector) {
      view.setFloat32(offset, value);
      offset += 4;
    }
  }
  return buffer;
}
