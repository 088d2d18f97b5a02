import { StorageDtype } from './pickleValues';

/**
 * Turning stored tensor bytes (little-endian, any of the read dtypes, any strides) into
 * row-major float32, and float32 back into little-endian bytes.
 */
export const ITEM_BYTES: Readonly<Record<StorageDtype, number>> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
};

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

/**
 * The tensor (shape, stride, offset in elements) of `bytes` as row-major float32. The caller has
 * checked that every index lies inside `bytes`.
 */
export function gatherFloat32(
  bytes: Uint8Array,
  dtype: StorageDtype,
  shape: readonly number[],
  stride: readonly number[],
  offset: number,
): Float32Array {
  const n = elementCount(shape);
  const dense = rowMajorStrides(shape);
  const contiguous = shape.every((size, d) => size === 1 || stride[d] === dense[d]);
  if (dtype === 'float32' && contiguous && LITTLE_ENDIAN_HOST) {
    const out = new Float32Array(n);
    new Uint8Array(out.buffer).set(bytes.subarray(offset * 4, (offset + n) * 4));
    return out;
  }
  const read = reader(bytes, dtype);
  const out = new Float32Array(n);
  const index = new Array<number>(shape.length).fill(0);
  let at = offset;
  for (let i = 0; i < n; i++) {
    out[i] = read(at);
    for (let d = shape.length - 1; d >= 0; d--) {
      at += stride[d];
      if (++index[d] < shape[d]) break;
      at -= stride[d] * shape[d];
      index[d] = 0;
    }
  }
  return out;
}

function reader(bytes: Uint8Array, dtype: StorageDtype): (i: number) => number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'float32':
      return (i) => view.getFloat32(i * 4, true);
    case 'float64':
      return (i) => view.getFloat64(i * 8, true);
    case 'float16':
      return (i) => halfToFloat(view.getUint16(i * 2, true));
    case 'bfloat16':
      return (i) => bfloatToFloat(view.getUint16(i * 2, true));
  }
}

const scratch = new DataView(new ArrayBuffer(4));

/** bfloat16 is the high half of a float32. */
function bfloatToFloat(bits: number): number {
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

/** IEEE 754 binary16 → number (exact: every half is a float32). */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** float32 values as little-endian bytes (a view when the host is little-endian). */
export function float32Bytes(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}
