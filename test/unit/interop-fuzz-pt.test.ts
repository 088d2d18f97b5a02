/**
 * Fuzzing the .pt reader, deterministically (fixed seeds, a few seconds): truncated files and
 * pickles, flipped bits, zip entries and storages that lie about their sizes, hostile globals,
 * huge declared lengths, deep nesting and view bombs. Every input must either read as a model or
 * fail with an InteropError, quickly: no other exception, no hang, no allocation the file does
 * not pay for.
 */
import { strict as assert } from 'node:assert';
import { InteropError, importPt } from '../../src/interop';
import { limitsWith } from '../../src/interop/errors';
import { OP } from '../../src/interop/pickleOpcodes';
import { PickleWriter } from '../../src/interop/pickleWrite';
import { readStoredZip } from '../../src/interop/zipRead';
import { unpickle } from '../../src/interop/unpickle';
import { writeTorchZip } from '../../src/interop/zipWrite';
import { Rng } from '../../src/util/rng';
import { Fuzz, cutPoints, flipped, pickleBytes, u32 } from '../helpers/fuzz';
import { fixtureBytes } from '../helpers/interopFixtures';

const PT = fixtureBytes('tiny-dot.pt');

/** The entries of PT as [name, bytes], to rebuild archives with one part changed. */
const ptEntries = (() => {
  const zip = readStoredZip(PT, limitsWith());
  const entries = [...zip.entries.keys()].map((name): [string, Uint8Array] => [
    name,
    zip.read(name),
  ]);
  return () => entries;
})();

/** PT with data.pkl replaced (re-zipped with correct CRCs, so the unpickler sees it). */
function withPickle(pickle: Uint8Array): Buffer {
  return writeTorchZip(ptEntries().map(([n, b]) => [n, n.endsWith('/data.pkl') ? pickle : b]));
}

/** A .pt whose pickle is `body` (after PROTO 2) in the book's dict shape. */
function ptOf(build: (p: PickleWriter) => void): Buffer {
  const p = new PickleWriter();
  build(p);
  return withPickle(p.finish());
}

/** Globals, reduce payloads, huge lengths, deep nesting and view bombs, with their messages. */
const HOSTILE: [string, () => Buffer, RegExp][] = [
  ['os.system', () => fixtureBytes('os-system.pt'), /posix\.system, which is refused/],
  [
    'builtins.eval',
    () => ptOf((p) => p.global('builtins', 'eval').str('1').op(OP.TUPLE1).op(OP.REDUCE)),
    /builtins\.eval, which is refused/,
  ],
  ['getattr', () => ptOf((p) => p.global('builtins', 'getattr')), /builtins\.getattr, which/],
  [
    'a 4 GB string',
    () => withPickle(pickleBytes('X', u32(0xffffffff))),
    /a string of 4294967295 bytes/,
  ],
  [
    'a huge memo index',
    () => withPickle(pickleBytes('Nr', u32(0xffffffff), 'j', u32(1 << 24), '.')),
    /GET of memo entry 16777216, never PUT/,
  ],
  [
    '100,000 nested lists',
    () => withPickle(pickleBytes(']'.repeat(100_000), 'a'.repeat(99_999), '.')),
    /nest deeper than 32 levels/,
  ],
  ['100,000 MARKs', () => withPickle(pickleBytes('('.repeat(100_000))), /MARKs nest too deep/],
  [
    'a 2^40-value storage',
    () => ptOf((p) => tensorDict(p, 2 ** 40, [2 ** 20, 2 ** 20])),
    /storage 0 holds \d+ bytes, but 1099511627776 float32 values need 4398046511104/,
  ],
  [
    'a shape beyond its storage',
    () => ptOf((p) => tensorDict(p, 4, [1000, 1000])),
    /reaches past its storage of 4 values/,
  ],
  [
    'an overflowing shape',
    () => ptOf((p) => tensorDict(p, 4, [2 ** 30, 2 ** 30, 2 ** 30])),
    /reaches past its storage/,
  ],
  ['views multiplying one storage', viewBomb, /the tensors hold more values than the file has/],
];

describe('interop: fuzzing the .pt reader', function () {
  this.timeout(60_000);
  const pickle = ptEntries().find(([n]) => n.endsWith('/data.pkl'))![1];

  it('truncated files at every length up to 4 kB, then every 61st byte', () => {
    const fuzz = new Fuzz();
    for (const n of cutPoints(PT.length, 4096, 61))
      fuzz.run(`cut at ${n}`, () => importPt(PT.subarray(0, n)));
    assert.equal(fuzz.outcomes.read, 0);
    fuzz.checkSpeed();
  });

  it('the pickle cut at every length of its head and tail, every 7th between', () => {
    const fuzz = new Fuzz();
    const tail = pickle.length - 1500; // the vocabularies, num_heads, num_steps and STOP
    for (let n = 0; n < pickle.length; n += n < 1500 || n >= tail ? 1 : 7) {
      fuzz.run(`pickle cut at ${n}`, () => unpickle(pickle.subarray(0, n), limitsWith()));
      if (n % 50 === 0)
        fuzz.run(`.pt cut at ${n}`, () => importPt(withPickle(pickle.subarray(0, n))));
    }
    assert.equal(fuzz.outcomes.read, 0);
    fuzz.checkSpeed();
  });

  it('600 pickles with flipped bits, and 600 whole files with flipped bits', () => {
    const rng = new Rng(14);
    const fuzz = new Fuzz();
    for (let i = 0; i < 600; i++) {
      fuzz.run(`pickle flip ${i}`, () => importPt(withPickle(flipped(pickle, rng))));
      fuzz.run(`file flip ${i}`, () => importPt(flipped(PT, rng)));
    }
    assert.ok(fuzz.outcomes.refused > 300, JSON.stringify(fuzz.outcomes));
    fuzz.checkSpeed();
  });

  it('zip directories that lie about sizes, offsets, names and counts', () => {
    const fuzz = new Fuzz();
    const eocd = PT.length - 22;
    const directoryAt = PT.readUInt32LE(eocd + 16);
    const fields: [string, number, number][] = []; // name, offset in the record, bytes
    const starts: number[] = [];
    for (
      let at = directoryAt;
      PT.readUInt32LE(at) === 0x02014b50;
      at += 46 + PT.readUInt16LE(at + 28)
    ) {
      starts.push(at);
    }
    // data.pkl, two storages and version: every kind of entry torch.save writes.
    const chosen = [0, 1, 2, starts.length - 1];
    for (const i of chosen) {
      for (const [field, offset, size] of [
        ['crc', 16, 4],
        ['compressed', 20, 4],
        ['size', 24, 4],
        ['name length', 28, 2],
        ['extra length', 30, 2],
        ['local offset', 42, 4],
        ['method', 10, 2],
        ['flags', 8, 2],
      ] as const) {
        fields.push([`entry ${i} ${field}`, starts[i] + offset, size]);
      }
    }
    fields.push(
      ['entry count', eocd + 10, 2],
      ['directory size', eocd + 12, 4],
      ['directory offset', eocd + 16, 4],
    );
    for (const [label, at, size] of fields) {
      const original = size === 4 ? PT.readUInt32LE(at) : PT.readUInt16LE(at);
      const max = size === 4 ? 0xffffffff : 0xffff;
      for (const value of [0, 1, original - 1, original + 1, original + 64, max, max >>> 1]) {
        if (value < 0 || value > max || value === original) continue;
        const copy = Buffer.from(PT);
        if (size === 4) copy.writeUInt32LE(value, at);
        else copy.writeUInt16LE(value, at);
        fuzz.run(`${label} = ${value}`, () => importPt(copy));
      }
    }
    assert.ok(fuzz.outcomes.refused > fields.length * 3, JSON.stringify(fuzz.outcomes));
    fuzz.checkSpeed();
  });

  it('storages whose bytes do not match their declared size', () => {
    const entries = ptEntries();
    for (const delta of [-4, -1, 1, 4]) {
      const lying = entries.map(([n, b]): [string, Uint8Array] =>
        n.endsWith('/data/3')
          ? [
              n,
              delta < 0 ? b.subarray(0, b.length + delta) : Buffer.concat([b, Buffer.alloc(delta)]),
            ]
          : [n, b],
      );
      assert.throws(
        () => importPt(writeTorchZip(lying)),
        /tensor .*: storage 3 holds \d+ bytes, but \d+ float32 values need \d+/,
      );
    }
  });

  it('damaged entries and entries that point elsewhere, with specific messages', () => {
    const zip = readStoredZip(PT, limitsWith());
    const storage = [...zip.entries.values()].find((e) => e.name.endsWith('/data/3'))!;
    const damaged = Buffer.from(PT);
    damaged[storage.start + 1] ^= 0x10; // a weight's bits, under a CRC that no longer matches
    assert.throws(() => importPt(damaged), /zip entry tiny-dot\/data\/3 is damaged \(its CRC-32/);
    // The directory record of data/3: its local-header offset, then its sizes.
    const record =
      PT.indexOf(Buffer.from('tiny-dot/data/3', 'utf8'), PT.readUInt32LE(PT.length - 6)) - 46;
    const at = (offset: number, value: number) => {
      const copy = Buffer.from(PT);
      copy.writeUInt32LE(value, record + offset);
      return copy;
    };
    const local = PT.readUInt32LE(record + 42);
    assert.throws(
      () => importPt(at(42, local + 64)),
      /the local header of zip entry tiny-dot\/data\/3 is missing/,
    );
    assert.throws(
      () => importPt(at(42, 0)),
      /its local header disagrees with the central directory/,
    );
    assert.throws(() => importPt(at(20, storage.size + 4)), /says \d+ ≠ \d+ bytes/);
    const both = at(20, 2 ** 30);
    both.writeUInt32LE(2 ** 30, record + 24);
    assert.throws(
      () => importPt(both),
      /claims 1073741824 bytes, past the end of the archive's data/,
    );
  });

  for (const [label, make, pattern] of HOSTILE) {
    it(`refuses a hostile pickle quickly: ${label}`, () => {
      const bytes = make();
      const started = performance.now();
      assert.throws(
        () => importPt(bytes),
        (err: unknown) => err instanceof InteropError && pattern.test(err.message),
      );
      assert.ok(performance.now() - started < 1000, `${label} is slow`);
    });
  }
});

/** {'net': {'w': tensor(shape) over a `numel` storage}} (entry 0 is tiny-dot's first storage). */
function tensorDict(p: PickleWriter, numel: number, shape: number[]): void {
  const stride = shape.map(() => 1);
  p.op(OP.EMPTY_DICT).str('net').op(OP.EMPTY_DICT).str('w');
  p.tensor({ key: '0', numel, offset: 0, shape, stride }).op(OP.SETITEM).op(OP.SETITEM);
}

/** 2,000 tensors that each view all of one 1 MB storage: 2 GB of floats from a 1 MB file. */
function viewBomb(): Buffer {
  const p = new PickleWriter().op(OP.EMPTY_DICT).str('net').op(OP.EMPTY_DICT).op(OP.MARK);
  const whole = { key: '0', numel: 2 ** 18, offset: 0, shape: [2 ** 18], stride: [1] };
  for (let i = 0; i < 2000; i++) p.str(`w${i}`).tensor(whole);
  p.op(OP.SETITEMS).op(OP.SETITEM);
  return writeTorchZip([
    ['archive/data.pkl', p.finish()],
    ['archive/data/0', new Uint8Array(2 ** 20)],
    ['archive/version', Buffer.from('3\n')],
  ]);
}
