import { ByteReader, decodeUtf8 } from './bytes';
import { InteropLimits, fail } from './errors';
import { build, persistentLoad, reduce, resolveGlobal } from './pickleGlobals';
import { OP as OPCODES, PROTOCOL, opcodeLabel } from './pickleOpcodes';
import { PyContainer, PyDict, PyKey, PyList, PyTuple, PyValue, describe } from './pickleValues';

/** A local copy: through the module binding, each OP.X in the hot switch was a getter call. */
const OP = { ...OPCODES };

/**
 * A restricted unpickler for exactly what torch.save writes for a dict of a state_dict,
 * vocabularies and numbers (protocol 2). It runs no code: the opcodes it knows build plain values
 * (./pickleValues.ts); GLOBAL resolves only the names in ./pickleGlobals.ts and REDUCE calls only
 * those; every other opcode or global is an InteropError naming it. It is iterative (no recursion
 * on nesting) and bounded: values created, memo entries, MARK and container nesting, string
 * lengths (see InteropLimits). Containers are final once nested in another one, so nothing can
 * build a cycle or deepen a container after its depth was counted.
 */
export function unpickle(bytes: Uint8Array, limits: InteropLimits, what = 'data.pkl'): PyValue {
  return new Unpickler(new ByteReader(bytes, what), limits).run();
}

class Unpickler {
  private readonly stack: PyValue[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, PyValue>();
  private created = 0;

  constructor(
    private readonly r: ByteReader,
    private readonly limits: InteropLimits,
  ) {}

  run(): PyValue {
    if (this.r.u8('the protocol opcode') !== OP.PROTO || this.r.u8('protocol') !== PROTOCOL) {
      fail(`${this.r.what} is not a protocol-${PROTOCOL} pickle (torch.save's default)`);
    }
    for (;;) {
      const at = this.r.pos;
      const op = this.r.u8('an opcode');
      if (op === OP.STOP) return this.stop();
      if (!this.value(op) && !this.structure(op) && !this.call(op)) {
        fail(`${this.r.what}: ${opcodeLabel(op)} at offset ${at} is not allowed`);
      }
    }
  }

  private stop(): PyValue {
    if (this.stack.length !== 1 || this.marks.length) {
      fail(`${this.r.what}: STOP with ${this.stack.length} values on the stack`);
    }
    if (this.r.remaining) fail(`${this.r.what}: ${this.r.remaining} bytes follow STOP`);
    return this.stack[0];
  }

  /** Opcodes that push one new value. */
  private value(op: number): boolean {
    const r = this.r;
    switch (op) {
      case OP.NONE:
        return this.push(null);
      case OP.NEWTRUE:
        return this.push(true);
      case OP.NEWFALSE:
        return this.push(false);
      case OP.BININT1:
        return this.push(r.u8('BININT1'));
      case OP.BININT2:
        return this.push(r.u16('BININT2'));
      case OP.BININT:
        return this.push(r.i32('BININT'));
      case OP.LONG1:
        return this.push(this.long1());
      case OP.BINFLOAT:
        return this.push(r.f64be('BINFLOAT'));
      case OP.BINUNICODE:
        return this.push(this.string());
      case OP.EMPTY_LIST:
        return this.push(new PyList());
      case OP.EMPTY_DICT:
        return this.push(new PyDict(false));
      case OP.EMPTY_TUPLE:
        return this.push(new PyTuple([]));
      default:
        return false;
    }
  }

  /** Marks, tuples, memo, and filling lists and dicts. */
  private structure(op: number): boolean {
    switch (op) {
      case OP.MARK:
        if (this.marks.length >= this.limits.maxNesting)
          fail(`${this.r.what}: MARKs nest too deep`);
        this.marks.push(this.stack.length);
        return true;
      case OP.TUPLE:
        return this.push(this.tuple(this.popMark()));
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3:
        return this.push(this.tuple(this.popN(op - OP.TUPLE1 + 1)));
      case OP.BINPUT:
        return this.put(this.r.u8('BINPUT index'));
      case OP.LONG_BINPUT:
        return this.put(this.r.u32('LONG_BINPUT index'));
      case OP.BINGET:
        return this.get(this.r.u8('BINGET index'));
      case OP.LONG_BINGET:
        return this.get(this.r.u32('LONG_BINGET index'));
      case OP.APPEND:
        return this.append(this.popN(1));
      case OP.APPENDS:
        return this.append(this.popMark());
      case OP.SETITEM:
        return this.setItems(this.popN(2));
      case OP.SETITEMS:
        return this.setItems(this.popMark());
      default:
        return false;
    }
  }

  /** The opcodes that reach the allow-listed globals. */
  private call(op: number): boolean {
    switch (op) {
      case OP.GLOBAL: {
        const module = this.line('GLOBAL module');
        return this.push(resolveGlobal(module, this.line('GLOBAL name')));
      }
      case OP.BINPERSID:
        return this.push(persistentLoad(this.popN(1)[0]));
      case OP.REDUCE: {
        const [callable, args] = this.popN(2);
        return this.push(reduce(callable, args));
      }
      case OP.BUILD: {
        const [target, state] = this.popN(2);
        if (target instanceof PyContainer && target.frozen) this.refuseChange(target);
        build(target, state);
        this.stack.push(target);
        return true;
      }
      default:
        return false;
    }
  }

  private push(v: PyValue): true {
    if (++this.created > this.limits.maxValues) {
      fail(`${this.r.what} builds more than ${this.limits.maxValues} values`);
    }
    this.stack.push(v);
    return true;
  }

  private popN(n: number): PyValue[] {
    const base = this.marks.length ? this.marks[this.marks.length - 1] : 0;
    if (this.stack.length - base < n)
      fail(`${this.r.what}: an opcode needs ${n} values, found fewer`);
    return this.stack.splice(this.stack.length - n, n);
  }

  private popMark(): PyValue[] {
    const base = this.marks.pop();
    if (base === undefined) fail(`${this.r.what}: an opcode needs a MARK, there is none`);
    return this.stack.splice(base, this.stack.length - base);
  }

  private put(index: number): true {
    if (!this.stack.length) fail(`${this.r.what}: PUT with an empty stack`);
    if (!this.memo.has(index) && this.memo.size >= this.limits.maxMemo) {
      fail(`${this.r.what} memoizes more than ${this.limits.maxMemo} values`);
    }
    this.memo.set(index, this.stack[this.stack.length - 1]);
    return true;
  }

  private get(index: number): true {
    if (!this.memo.has(index)) fail(`${this.r.what}: GET of memo entry ${index}, never PUT`);
    return this.push(this.memo.get(index)!);
  }

  private tuple(items: PyValue[]): PyTuple {
    const t = new PyTuple(items);
    this.adopt(items, t);
    return t;
  }

  private append(items: PyValue[]): true {
    const list = this.popN(1)[0];
    if (!(list instanceof PyList)) fail(`${this.r.what}: APPEND to ${describe(list)}`);
    if (list.frozen) this.refuseChange(list);
    this.adopt(items, list);
    for (const item of items) list.items.push(item); // no spread: items may be millions
    this.stack.push(list);
    return true;
  }

  private setItems(items: PyValue[]): true {
    const dict = this.popN(1)[0];
    if (!(dict instanceof PyDict)) fail(`${this.r.what}: SETITEM on ${describe(dict)}`);
    if (dict.frozen) this.refuseChange(dict);
    if (items.length % 2) fail(`${this.r.what}: SETITEMS with an odd number of values`);
    this.adopt(items, dict);
    for (let i = 0; i < items.length; i += 2) dict.map.set(this.key(items[i]), items[i + 1]);
    this.stack.push(dict);
    return true;
  }

  private key(k: PyValue): PyKey {
    if (k === null || typeof k === 'string' || typeof k === 'number' || typeof k === 'boolean') {
      return k;
    }
    return fail(`${this.r.what}: a dict key is ${describe(k)}`);
  }

  /** Nests `children` in `parent`: they become final, and the parent's depth is bounded. */
  private adopt(children: readonly PyValue[], parent: PyContainer): void {
    for (const child of children) {
      if (!(child instanceof PyContainer)) continue;
      if (child === parent) fail(`${this.r.what}: a container holds itself`);
      child.frozen = true;
      parent.depth = Math.max(parent.depth, child.depth + 1);
    }
    if (parent.depth > this.limits.maxNesting) {
      fail(`${this.r.what}: containers nest deeper than ${this.limits.maxNesting} levels`);
    }
  }

  private refuseChange(c: PyContainer): never {
    return fail(`${this.r.what}: ${describe(c as PyValue)} is changed after being nested`);
  }

  private string(): string {
    const n = this.r.u32('BINUNICODE length');
    if (n > this.limits.maxStringBytes) {
      fail(`${this.r.what}: a string of ${n} bytes (at most ${this.limits.maxStringBytes})`);
    }
    return decodeUtf8(this.r.slice(n, 'a string'), `a string in ${this.r.what}`);
  }

  /** LONG1: n-byte little-endian two's complement; must be a safe integer. */
  private long1(): number {
    const n = this.r.u8('LONG1 length');
    if (n > 7) fail(`${this.r.what}: an integer of ${n} bytes`);
    const b = this.r.slice(n, 'LONG1');
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + b[i];
    if (n && b[n - 1] & 0x80) v -= 2 ** (8 * n);
    if (!Number.isSafeInteger(v)) fail(`${this.r.what}: an integer beyond 2^53`);
    return v;
  }

  /** GLOBAL's newline-terminated ASCII names (at most 200 bytes). */
  private line(purpose: string): string {
    const start = this.r.pos;
    const end = this.r.bytes.subarray(start, start + 201).indexOf(0x0a);
    if (end < 0) fail(`${this.r.what}: ${purpose} is not a short line`);
    const text = decodeUtf8(this.r.slice(end, purpose), purpose);
    this.r.take(1, 'newline');
    if (!/^[A-Za-z0-9_.]+$/.test(text)) fail(`${this.r.what}: ${purpose} ${JSON.stringify(text)}`);
    return text;
  }
}
