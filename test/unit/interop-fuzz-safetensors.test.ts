/**
 * Fuzzing the .safetensors reader and its JSON sidecar, deterministically: truncations, flipped
 * bits, and headers that lie about lengths, offsets, dtypes and shapes. Every input must either
 * read as a model or fail with an InteropError, quickly.
 */
import { strict as assert } from 'node:assert';
import { InteropError, importSafetensors } from '../../src/interop';
import { Rng } from '../../src/util/rng';
import { Fuzz, cutPoints, flipped } from '../helpers/fuzz';
import { fixtureBytes } from '../helpers/interopFixtures';

const ST = fixtureBytes('tiny-dot.safetensors');
const SIDECAR = fixtureBytes('tiny-dot.json').toString('utf8');
const headerEnd = 8 + Number(ST.readBigUInt64LE(0));
const header = JSON.parse(ST.subarray(8, headerEnd).toString('utf8'));
const data = ST.subarray(headerEnd);

describe('interop: fuzzing the .safetensors reader', function () {
  this.timeout(60_000);

  it('truncated at every length through the header, then every 37th byte', () => {
    const fuzz = new Fuzz();
    for (const n of cutPoints(ST.length, headerEnd + 256, 37)) {
      fuzz.run(`cut at ${n}`, () => importSafetensors(ST.subarray(0, n), SIDECAR));
    }
    assert.equal(fuzz.outcomes.read, 0);
    fuzz.checkSpeed();
  });

  it('1500 files with flipped bits in the header, and 300 in the data', () => {
    const rng = new Rng(15);
    const fuzz = new Fuzz();
    for (let i = 0; i < 1500; i++) {
      fuzz.run(`header flip ${i}`, () =>
        importSafetensors(flipped(ST, rng, 0, headerEnd), SIDECAR),
      );
    }
    for (let i = 0; i < 300; i++) {
      fuzz.run(`data flip ${i}`, () => importSafetensors(flipped(ST, rng, headerEnd), SIDECAR));
    }
    assert.ok(
      fuzz.outcomes.refused > 1000 && fuzz.outcomes.read > 150,
      JSON.stringify(fuzz.outcomes),
    );
    fuzz.checkSpeed();
  });

  for (const [label, bytes, pattern] of lyingHeaders()) {
    it(`refuses a lying header quickly: ${label}`, () => {
      const started = performance.now();
      assert.throws(
        () => importSafetensors(bytes, SIDECAR, { maxTensors: 1000 }),
        (err: unknown) => err instanceof InteropError && pattern.test(err.message),
      );
      assert.ok(performance.now() - started < 2000, `${label} is slow`);
    });
  }

  it('sidecars truncated at every length and with flipped bits', () => {
    const rng = new Rng(16);
    const fuzz = new Fuzz();
    for (let n = 0; n < SIDECAR.length; n++)
      fuzz.run(`sidecar cut at ${n}`, () => importSafetensors(ST, SIDECAR.slice(0, n)));
    const bytes = Buffer.from(SIDECAR);
    for (let i = 0; i < 1000; i++) {
      fuzz.run(`sidecar flip ${i}`, () =>
        importSafetensors(ST, flipped(bytes, rng).toString('utf8')),
      );
    }
    assert.ok(fuzz.outcomes.refused > 500, JSON.stringify(fuzz.outcomes));
    fuzz.checkSpeed();
  });
});

/** A safetensors file of `h` (an object, or JSON text as it is) and `body`. */
function withHeader(h: unknown, body: Uint8Array = data): Buffer {
  const json = Buffer.from(typeof h === 'string' ? h : JSON.stringify(h));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, body]);
}

/** Headers that lie about lengths, offsets, dtypes, shapes and nesting, with their messages. */
function lyingHeaders(): [string, Buffer, RegExp][] {
  return [...lyingLengths(), ...lyingEntries(), ...lyingStructure()];
}

function lyingLengths(): [string, Buffer, RegExp][] {
  return [
    [
      'header length 2^53',
      Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0x20, 0]), ST.subarray(8)]),
      /header length is too large/,
    ],
    [
      'header length 2^32',
      Buffer.concat([Buffer.from([0, 0, 0, 0, 1, 0, 0, 0]), ST.subarray(8)]),
      /declares a 4 GB header/,
    ],
    [
      'header past the end',
      Buffer.concat([Buffer.from([0xff, 0xff, 0, 0, 0, 0, 0, 0]), ST.subarray(8, 100)]),
      /ends early: the header needs 65535 bytes/,
    ],
  ];
}

/** decoder.dense.bias's entry, edited. */
function lyingEntries(): [string, Buffer, RegExp][] {
  const name = 'decoder.dense.bias';
  const edit = (e: object) => withHeader({ ...header, [name]: { ...header[name], ...e } });
  const [b, e] = header[name].data_offsets;
  return [
    [
      'offsets swapped',
      edit({ data_offsets: [e, b] }),
      /needs 44 bytes, its offsets \[\d+, \d+\] give -44/,
    ],
    ['offsets past the data', edit({ data_offsets: [b + 4, e + 4] }), /leaves a gap|overlaps/],
    ['huge offsets', edit({ data_offsets: [2 ** 60, 2 ** 60 + 44] }), /data_offsets/],
    ['fractional offsets', edit({ data_offsets: [b + 0.5, e] }), /data_offsets/],
    [
      'a shape that overflows',
      edit({ shape: [2 ** 30, 2 ** 30, 2 ** 30] }),
      /more values than a file can hold/,
    ],
    ['a negative dimension', edit({ shape: [-11] }), /has shape \[-11\]/],
    ['an unknown dtype', edit({ dtype: 'I64' }), /has dtype "I64"; F32, F64, F16, BF16 are read/],
    ['a __proto__ dtype', edit({ dtype: '__proto__' }), /has dtype "__proto__"/],
  ];
}

function lyingStructure(): [string, Buffer, RegExp][] {
  const many = Array.from({ length: 1001 }, (_, i) => [
    `t${i}`,
    { dtype: 'F32', shape: [0], data_offsets: [0, 0] },
  ]);
  return [
    [
      'metadata that is not strings',
      withHeader({ ...header, __metadata__: { a: 1 } }),
      /__metadata__ must map strings to strings/,
    ],
    ['a header that is a list', withHeader('[1,2]'), /not a JSON object/],
    [
      'deeply nested JSON',
      withHeader('{"a":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}'),
      /header entry is not an object|not valid JSON/,
    ],
    [
      'extra bytes after the data',
      withHeader(header, Buffer.concat([data, Buffer.alloc(4)])),
      /cover \d+ bytes of data, the file has \d+/,
    ],
    [
      'too many tensors',
      withHeader(Object.fromEntries(many)),
      /lists 1001 tensors \(at most 1000\)/,
    ],
  ];
}
