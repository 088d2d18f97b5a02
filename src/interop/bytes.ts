import * as zlib from 'node:zlib';
import { InteropError, fail } from './errors';

/**
 * Bounds-checked little helpers over a byte array: every read says what it was reading when the
 * input ends early, so a truncated file gives a clear InteropError and never a RangeError.
 */
export class ByteReader {
  private readonly view: DataView;
  pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    /** What is being read, for messages ("data.pkl", "the safetensors header"). */
    readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** Fails unless `n` more bytes exist; returns the start offset and advances. */
  take(n: number, purpose: string): number {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.remaining) {
      fail(
        `${this.what} ends early: ${purpose} needs ${n} bytes at offset ${this.pos}, ` +
          `${this.remaining} left`,
      );
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(purpose: string): number {
    return this.bytes[this.take(1, purpose)];
  }

  u16(purpose: string): number {
    return this.view.getUint16(this.take(2, purpose), true);
  }

  u32(purpose: string): number {
    return this.view.getUint32(this.take(4, purpose), true);
  }

  i32(purpose: string): number {
    return this.view.getInt32(this.take(4, purpose), true);
  }

  /** Big-endian float64 (pickle's BINFLOAT). */
  f64be(purpose: string): number {
    return this.view.getFloat64(this.take(8, purpose), false);
  }

  /** A little-endian unsigned 64-bit integer that must fit in a JS safe integer. */
  u64(purpose: string): number {
    const lo = this.u32(purpose);
    const hi = this.u32(purpose);
    if (hi >= 2 ** 21) fail(`${this.what}: ${purpose} is too large (${hi} * 2^32 + ${lo})`);
    return hi * 2 ** 32 + lo;
  }

  slice(n: number, purpose: string): Uint8Array {
    const at = this.take(n, purpose);
    return this.bytes.subarray(at, at + n);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 decoding: invalid bytes are an InteropError naming `what`. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new InteropError(`${what} is not valid UTF-8`);
  }
}

/**
 * An append-only byte sink for the writers: small values go into a scratch chunk, large byte
 * arrays are kept as they are, and toBuffer() copies everything once. (Fresh memory is what
 * costs here: the first write to a new 40 MB array took 450–600 ms on this machine, copying
 * into one already written 10 ms; a doubling buffer would touch about twice the output.)
 */
export class ByteWriter {
  private readonly chunks: Uint8Array[] = [];
  private scratch = new Uint8Array(SCRATCH);
  private view = new DataView(this.scratch.buffer);
  /** Scratch bytes written; those from `kept` on are not yet in `chunks`. */
  private used = 0;
  private kept = 0;
  /** Bytes written so far. */
  length = 0;

  private reserve(n: number): number {
    if (this.used + n > this.scratch.length) {
      this.flush();
      this.scratch = new Uint8Array(Math.max(SCRATCH, n));
      this.view = new DataView(this.scratch.buffer);
      this.used = this.kept = 0;
    }
    const at = this.used;
    this.used += n;
    this.length += n;
    return at;
  }

  /** Moves the scratch bytes not yet kept into `chunks` (a view: the scratch is never rewritten). */
  private flush(): void {
    if (this.used > this.kept) this.chunks.push(this.scratch.subarray(this.kept, this.used));
    this.kept = this.used;
  }

  u8(v: number): this {
    const at = this.reserve(1); // before `this.scratch`: reserve may replace it
    this.scratch[at] = v;
    return this;
  }

  u16(v: number): this {
    const at = this.reserve(2);
    this.view.setUint16(at, v, true);
    return this;
  }

  u32(v: number): this {
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
    return this;
  }

  i32(v: number): this {
    const at = this.reserve(4);
    this.view.setInt32(at, v, true);
    return this;
  }

  /** Little-endian unsigned 64-bit (safe integers only). */
  u64(v: number): this {
    return this.u32(v % 2 ** 32).u32(Math.floor(v / 2 ** 32));
  }

  /** Appends `b` (kept by reference until toBuffer when large: do not change it meanwhile). */
  bytes(b: Uint8Array): this {
    if (b.length <= 256) {
      const at = this.reserve(b.length);
      this.scratch.set(b, at);
      return this;
    }
    this.flush();
    this.chunks.push(b);
    this.length += b.length;
    return this;
  }

  ascii(s: string): this {
    return this.bytes(Buffer.from(s, 'latin1'));
  }

  toBuffer(): Buffer {
    this.flush();
    return Buffer.concat(this.chunks, this.length);
  }
}

const SCRATCH = 64 * 1024;

let crcTable: Uint32Array | undefined;

const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/**
 * CRC-32 (zip's). zlib.crc32 (Node 20.15+) takes 30 ms for 40 MB here; the table-driven loop,
 * for older Nodes (VS Code 1.90's is 20.9), 550 ms for 60 MB.
 */
export function crc32(bytes: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(bytes) >>> 0 : tableCrc32(bytes);
}

export function tableCrc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
