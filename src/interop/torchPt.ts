import { decodeUtf8 } from './bytes';
import { InteropLimits, fail, formatBytes } from './errors';
import { ModelMeta, SAVE_SNIPPET, parseMeta } from './modelMeta';
import { NamedTensor, RawModelFile, RawTensor } from './modelFile';
import { OP } from './pickleOpcodes';
import { PyDict, PyList, PyTuple, PyValue, StorageRef, TensorRef, describe } from './pickleValues';
import { PickleWriter } from './pickleWrite';
import {
  ITEM_BYTES,
  elementCount,
  float32Bytes,
  gatherFloat32,
  rowMajorStrides,
} from './tensorData';
import { unpickle } from './unpickle';
import { StoredZip, isZip, readStoredZip } from './zipRead';
import { writeTorchZip } from './zipWrite';

/**
 * `.pt` files as the book's notebook writes them:
 * torch.save({'net': net.state_dict(), 'src_vocab': …, 'tgt_vocab': …, 'num_heads': …,
 * 'num_steps': …}, 'model.pt') — a zip of `<name>/data.pkl` (the pickled dict), one
 * `<name>/data/<key>` entry per storage, and `<name>/version`.
 */
export function readPt(bytes: Uint8Array, limits: InteropLimits): RawModelFile {
  if (!isZip(bytes)) {
    if (bytes[0] === OP.PROTO) {
      fail(
        'the legacy torch.save format (PyTorch before 1.6, or ' +
          '_use_new_zipfile_serialization=False) is not read; save it again with a newer PyTorch',
      );
    }
    fail('not a file written by torch.save (not a zip archive)');
  }
  const zip = readStoredZip(bytes, limits);
  const prefix = archivePrefix(zip);
  const byteorder = `${prefix}byteorder`;
  if (zip.has(byteorder) && decodeUtf8(zip.read(byteorder), 'byteorder') !== 'little') {
    fail('saved on a big-endian machine, which is not read');
  }
  const pickleSize = zip.entries.get(`${prefix}data.pkl`)!.size;
  if (pickleSize > limits.maxPickleBytes) {
    fail(
      `its pickle is ${formatBytes(pickleSize)} (at most ${formatBytes(limits.maxPickleBytes)})`,
    );
  }
  const top = unpickle(zip.read(`${prefix}data.pkl`), limits);
  if (!(top instanceof PyDict))
    fail(`the pickle holds ${describe(top)}, not the dict the book saves`);
  const net = top.map.get('net');
  if (!(net instanceof PyDict)) fail(missingNet(top));
  const tensors = new StorageReader(zip, prefix, bytes.length, limits).readAll(net);
  return { tensors, meta: parseMeta(plainMeta(top), 'the saved dict', limits) };
}

function archivePrefix(zip: StoredZip): string {
  const names = [...zip.entries.keys()];
  // TorchScript archives hold a data.pkl too, but of code objects: say what the file is.
  if (names.some((n) => /^[^/]+\/(constants\.pkl|code\/)/.test(n))) {
    fail('a TorchScript archive (torch.jit.save); save the state_dict with torch.save instead');
  }
  const pickles = names.filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pickles.length === 1) return pickles[0].slice(0, -'data.pkl'.length);
  return fail(
    pickles.length
      ? `${pickles.length} pickles (${pickles.join(', ')}), expected one`
      : `no <name>/data.pkl in the archive (entries: ${names.slice(0, 5).join(', ') || 'none'})`,
  );
}

function missingNet(top: PyDict): string {
  const keys = [...top.map.keys()];
  if (keys.length && [...top.map.values()].every((v) => v instanceof TensorRef)) {
    return `a bare state_dict; the vocabularies are needed too: ${SAVE_SNIPPET}`;
  }
  const shown = keys.slice(0, 8).map((k) => JSON.stringify(k));
  return `the saved dict has no 'net' state_dict (its keys: ${shown.join(', ') || 'none'})`;
}

/** The meta keys of the top dict as plain JS (lists of strings, numbers). */
function plainMeta(top: PyDict): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['src_vocab', 'tgt_vocab', 'num_heads', 'num_steps', 'dropout']) {
    const v = top.map.get(key);
    if (v === undefined) continue;
    out[key] =
      v instanceof PyList || v instanceof PyTuple ? v.items.map(plainScalar) : plainScalar(v);
  }
  return out;
}

function plainScalar(v: PyValue): unknown {
  return v === null || typeof v !== 'object' ? v : describe(v);
}

/** Reads each tensor of the state_dict from its storage entry, checking sizes. */
class StorageReader {
  private readonly storages = new Map<string, StorageRef>();
  private elements = 0;

  constructor(
    private readonly zip: StoredZip,
    private readonly prefix: string,
    private readonly fileBytes: number,
    private readonly limits: InteropLimits,
  ) {}

  readAll(net: PyDict): Map<string, RawTensor> {
    if (net.map.size > this.limits.maxTensors) {
      fail(`'net' holds ${net.map.size} tensors (at most ${this.limits.maxTensors})`);
    }
    const tensors = new Map<string, RawTensor>();
    for (const [name, value] of net.map) {
      if (typeof name !== 'string') fail(`'net' has the key ${JSON.stringify(name)}, not a name`);
      if (!(value instanceof TensorRef)) fail(`'net' entry ${name} is ${describe(value)}`);
      tensors.set(name, this.read(name, value));
    }
    return tensors;
  }

  private read(name: string, t: TensorRef): RawTensor {
    const s = t.storage;
    const known = this.storages.get(s.key);
    if (known && (known.dtype !== s.dtype || known.numel !== s.numel)) {
      fail(`storage ${s.key} is declared twice with different types or sizes`);
    }
    this.storages.set(s.key, s);
    const entry = `${this.prefix}data/${s.key}`;
    if (!this.zip.has(entry)) fail(`tensor ${name}: its storage ${entry} is missing`);
    const expected = s.numel * ITEM_BYTES[s.dtype];
    const actual = this.zip.entries.get(entry)!.size;
    if (actual !== expected) {
      fail(
        `tensor ${name}: storage ${s.key} holds ${actual} bytes, but ${s.numel} ${s.dtype} ` +
          `values need ${expected}`,
      );
    }
    // Views of one storage could otherwise multiply a small file into a huge allocation.
    this.elements += elementCount(t.shape);
    if (this.elements * 2 > this.fileBytes) {
      fail(`tensor ${name}: the tensors hold more values than the file has bytes for`);
    }
    const data = gatherFloat32(this.zip.read(entry), s.dtype, t.shape, t.stride, t.offset);
    return { shape: [...t.shape], data, dtype: s.dtype };
  }
}

/** The contents of a .pt: a model's parameters and the book's meta keys. */
export interface PtContents {
  tensors: readonly NamedTensor[];
  meta: ModelMeta;
}

/** A .pt that `torch.load` reads and `net.load_state_dict(torch.load(path)['net'])` accepts. */
export function writePt(contents: PtContents): Buffer {
  const p = new PickleWriter().op(OP.EMPTY_DICT).op(OP.MARK);
  p.str('net').orderedDict().op(OP.MARK);
  const storages: [string, Uint8Array][] = [];
  contents.tensors.forEach((t, i) => {
    const view = { offset: 0, shape: t.shape, stride: rowMajorStrides(t.shape) };
    p.str(t.name).tensor({ key: String(i), numel: t.data.length, ...view });
    storages.push([`archive/data/${i}`, float32Bytes(t.data)]);
  });
  p.op(OP.SETITEMS);
  const m = contents.meta;
  p.str('src_vocab').strList(m.srcVocab).str('tgt_vocab').strList(m.tgtVocab);
  if (m.numHeads !== undefined) p.str('num_heads').int(m.numHeads);
  // No dropout: torch 1.13's torch.load(weights_only=True) refuses floats (BINFLOAT).
  p.str('num_steps').int(m.numSteps);
  const pickle = p.op(OP.SETITEMS).finish();
  return writeTorchZip([
    ['archive/data.pkl', pickle],
    ['archive/byteorder', Buffer.from('little')],
    ...storages,
    ['archive/version', Buffer.from('3\n')],
  ]);
}
