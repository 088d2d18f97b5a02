import { ByteReader, ByteWriter, decodeUtf8 } from './bytes';
import { InteropError, InteropLimits, MAX_RANK, fail, formatBytes } from './errors';
import { NamedTensor, RawTensor } from './modelFile';
import { StorageDtype } from './pickleValues';
import {
  ITEM_BYTES,
  elementCount,
  float32Bytes,
  gatherFloat32,
  rowMajorStrides,
} from './tensorData';

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}`, then
 * the tensors' bytes, which the offsets must cover exactly (no gaps, no overlaps), as the format
 * requires. F32, F64, F16 and BF16 tensors are read (as float32); F32 is written.
 */
const DTYPES: Readonly<Record<string, StorageDtype>> = {
  F32: 'float32',
  F64: 'float64',
  F16: 'float16',
  BF16: 'bfloat16',
};

export interface SafetensorsContents {
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string>;
}

interface HeaderEntry {
  name: string;
  dtype: StorageDtype;
  shape: number[];
  begin: number;
  end: number;
}

export function readSafetensors(bytes: Uint8Array, limits: InteropLimits): SafetensorsContents {
  const r = new ByteReader(bytes, 'the safetensors file');
  const headerLength = r.u64('the header length');
  if (headerLength > limits.maxHeaderBytes) {
    fail(
      `declares a ${formatBytes(headerLength)} header (at most ` +
        `${formatBytes(limits.maxHeaderBytes)}): not a safetensors file, or a damaged one`,
    );
  }
  const text = decodeUtf8(r.slice(headerLength, 'the header'), 'the safetensors header');
  const data = bytes.subarray(r.pos);
  const { entries, metadata } = parseHeader(text, data.length, limits);
  const tensors = new Map<string, RawTensor>();
  for (const e of entries) {
    const slice = data.subarray(e.begin, e.end);
    const values = gatherFloat32(slice, e.dtype, e.shape, rowMajorStrides(e.shape), 0);
    tensors.set(e.name, { shape: e.shape, data: values, dtype: e.dtype });
  }
  return { tensors, metadata };
}

function parseHeader(text: string, dataLength: number, limits: InteropLimits) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InteropError(`the safetensors header is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(json)) fail('the safetensors header is not a JSON object');
  const names = Object.keys(json).filter((k) => k !== '__metadata__');
  if (names.length > limits.maxTensors) {
    fail(`the safetensors header lists ${names.length} tensors (at most ${limits.maxTensors})`);
  }
  const entries = names.map((name) => headerEntry(name, json[name]));
  checkCoverage(entries, dataLength);
  return { entries, metadata: metadataOf(json.__metadata__) };
}

function headerEntry(name: string, v: unknown): HeaderEntry {
  if (!isObject(v)) return fail(`safetensors tensor ${name}: its header entry is not an object`);
  const known = typeof v.dtype === 'string' && Object.hasOwn(DTYPES, v.dtype);
  const dtype = known ? DTYPES[v.dtype as string] : undefined;
  if (!dtype) {
    fail(
      `safetensors tensor ${name} has dtype ${JSON.stringify(v.dtype)}; F32, F64, F16, BF16 are read`,
    );
  }
  const shape = v.shape;
  if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every(isCount)) {
    fail(`safetensors tensor ${name} has shape ${JSON.stringify(shape)}`);
  }
  const offsets = v.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(`safetensors tensor ${name} has data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as number[];
  const elements = elementCount(shape);
  if (!Number.isSafeInteger(elements * ITEM_BYTES[dtype])) {
    fail(`safetensors tensor ${name} has shape [${shape}]: more values than a file can hold`);
  }
  if (end - begin !== elements * ITEM_BYTES[dtype]) {
    fail(
      `safetensors tensor ${name}: shape [${shape}] of ${v.dtype} needs ` +
        `${elements * ITEM_BYTES[dtype]} bytes, its offsets [${begin}, ${end}] give ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/** The offsets must tile the data exactly: sorted, each starting where the last ended. */
function checkCoverage(entries: HeaderEntry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin !== at) {
      const what = e.begin < at ? 'overlaps the tensor before it' : `leaves a gap at byte ${at}`;
      fail(`safetensors tensor ${e.name} (bytes ${e.begin}–${e.end}) ${what}`);
    }
    at = e.end;
  }
  if (at !== dataLength) {
    fail(`the safetensors tensors cover ${at} bytes of data, the file has ${dataLength}`);
  }
}

function metadataOf(v: unknown): Record<string, string> {
  if (v === undefined) return {};
  if (!isObject(v) || !Object.values(v).every((x) => typeof x === 'string')) {
    fail('the safetensors __metadata__ must map strings to strings');
  }
  return { ...(v as Record<string, string>) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** A safetensors file of float32 tensors, in the given order, header padded to 8 bytes. */
export function writeSafetensors(
  tensors: readonly NamedTensor[],
  metadata: Record<string, string> = { format: 'pt' },
): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let at = 0;
  for (const t of tensors) {
    const end = at + t.data.length * 4;
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [at, end] };
    at = end;
  }
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (Buffer.byteLength(text) % 8)) % 8);
  const json = Buffer.from(text, 'utf8');
  const w = new ByteWriter().u64(json.length).bytes(json);
  for (const t of tensors) w.bytes(float32Bytes(t.data));
  return w.toBuffer();
}
