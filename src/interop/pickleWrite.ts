import { ByteWriter } from './bytes';
import { ORDERED_DICT, REBUILD_TENSOR } from './pickleGlobals';
import { OP, PROTOCOL } from './pickleOpcodes';

/** A float32 tensor reference: the storage's key and size, and the view. */
export interface PickledTensor {
  key: string;
  numel: number;
  offset: number;
  shape: readonly number[];
  stride: readonly number[];
}

/**
 * Writes protocol-2 pickles with the opcodes torch.save uses (./pickleOpcodes.ts) and nothing
 * else, so ./unpickle.ts reads every pickle written here. No memo: each value is written in
 * full, which torch.load reads as well (the memo only saves bytes).
 */
export class PickleWriter {
  private readonly w = new ByteWriter();

  constructor() {
    this.w.u8(OP.PROTO).u8(PROTOCOL);
  }

  op(code: number): this {
    this.w.u8(code);
    return this;
  }

  str(s: string): this {
    const bytes = Buffer.from(s, 'utf8');
    this.w.u8(OP.BINUNICODE).u32(bytes.length).bytes(bytes);
    return this;
  }

  int(n: number): this {
    if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
    if (n >= 0 && n < 0x100) this.w.u8(OP.BININT1).u8(n);
    else if (n >= 0 && n < 0x10000) this.w.u8(OP.BININT2).u16(n);
    else if (n >= -(2 ** 31) && n < 2 ** 31) this.w.u8(OP.BININT).i32(n);
    else this.long1(n);
    return this;
  }

  float(x: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(x);
    this.w.u8(OP.BINFLOAT).bytes(b);
    return this;
  }

  bool(b: boolean): this {
    return this.op(b ? OP.NEWTRUE : OP.NEWFALSE);
  }

  global(module: string, name: string): this {
    this.w.u8(OP.GLOBAL).ascii(`${module}\n${name}\n`);
    return this;
  }

  /** `qualified` ("collections.OrderedDict") as a GLOBAL. */
  globalNamed(qualified: string): this {
    const dot = qualified.lastIndexOf('.');
    return this.global(qualified.slice(0, dot), qualified.slice(dot + 1));
  }

  /** collections.OrderedDict(), empty. */
  orderedDict(): this {
    return this.globalNamed(ORDERED_DICT).op(OP.EMPTY_TUPLE).op(OP.REDUCE);
  }

  /**
   * A tensor as torch.save pickles it: _rebuild_tensor_v2(('storage', torch.FloatStorage, key,
   * 'cpu', numel), offset, shape, stride, False, OrderedDict()).
   */
  tensor(t: PickledTensor): this {
    this.globalNamed(REBUILD_TENSOR).op(OP.MARK);
    this.op(OP.MARK).str('storage').global('torch', 'FloatStorage').str(t.key).str('cpu');
    this.int(t.numel).op(OP.TUPLE).op(OP.BINPERSID);
    this.int(t.offset).intTuple(t.shape).intTuple(t.stride).bool(false);
    return this.orderedDict().op(OP.TUPLE).op(OP.REDUCE);
  }

  /** A tuple of ints (shapes, strides). */
  intTuple(values: readonly number[]): this {
    if (values.length === 0) return this.op(OP.EMPTY_TUPLE);
    if (values.length <= 3) {
      for (const v of values) this.int(v);
      return this.op(OP.TUPLE1 + values.length - 1);
    }
    this.op(OP.MARK);
    for (const v of values) this.int(v);
    return this.op(OP.TUPLE);
  }

  /** A list of strings. */
  strList(values: readonly string[]): this {
    this.op(OP.EMPTY_LIST);
    if (values.length === 0) return this;
    this.op(OP.MARK);
    for (const v of values) this.str(v);
    return this.op(OP.APPENDS);
  }

  finish(): Buffer {
    return this.op(OP.STOP).w.toBuffer();
  }

  /** Two's complement, little-endian, as few bytes as hold the sign. */
  private long1(n: number): void {
    const bytes: number[] = [];
    let v = BigInt(n);
    for (;;) {
      bytes.push(Number(v & 0xffn));
      v >>= 8n;
      const sign = bytes[bytes.length - 1] & 0x80;
      if ((v === 0n && !sign) || (v === -1n && sign)) break;
    }
    this.w.u8(OP.LONG1).u8(bytes.length).bytes(Uint8Array.from(bytes));
  }
}
