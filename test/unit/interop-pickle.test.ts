/**
 * The restricted unpickler: it reads what torch.save writes and refuses, by name, every opcode
 * and global outside that — never calling or constructing anything.
 */
import { strict as assert } from 'node:assert';
import { InteropError, limitsWith } from '../../src/interop/errors';
import { InteropLimits } from '../../src/interop/errors';
import { OP } from '../../src/interop/pickleOpcodes';
import { PyDict, PyList, PyTuple, TensorRef } from '../../src/interop/pickleValues';
import { PickleWriter } from '../../src/interop/pickleWrite';
import { unpickle } from '../../src/interop/unpickle';
import { pickleBytes, u32 } from '../helpers/fuzz';

function refused(bytes: Uint8Array, pattern: RegExp, limits: Partial<InteropLimits> = {}): void {
  assert.throws(
    () => unpickle(bytes, limitsWith(limits)),
    (err: unknown) => err instanceof InteropError && pattern.test(err.message),
  );
}

const read = (bytes: Uint8Array) => unpickle(bytes, limitsWith());

describe('interop: the restricted unpickler', () => {
  it('reads numbers, strings, lists, tuples and dicts as the writer writes them', () => {
    const ints = [
      0,
      255,
      256,
      65535,
      65536,
      -1,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31,
      -(2 ** 40),
      2 ** 53 - 1,
    ];
    const p = new PickleWriter().op(OP.EMPTY_DICT).op(OP.MARK);
    p.str('ints').op(OP.EMPTY_LIST).op(OP.MARK);
    for (const n of ints) p.int(n);
    p.op(OP.APPENDS);
    p.str('shape').intTuple([3, 4, 5, 6]).str('pair').intTuple([1, 2]).str('none').op(OP.NONE);
    p.str('flag').bool(true).str('x').float(-0.125).str('words').strList(['é', '👋', '']);
    const top = read(p.op(OP.SETITEMS).finish()) as PyDict;
    assert.ok(top instanceof PyDict);
    assert.deepEqual((top.map.get('ints') as PyList).items, ints);
    assert.deepEqual((top.map.get('shape') as PyTuple).items, [3, 4, 5, 6]);
    assert.deepEqual((top.map.get('pair') as PyTuple).items, [1, 2]);
    assert.equal(top.map.get('none'), null);
    assert.equal(top.map.get('flag'), true);
    assert.equal(top.map.get('x'), -0.125);
    assert.deepEqual((top.map.get('words') as PyList).items, ['é', '👋', '']);
  });

  it('rebuilds a tensor reference from the persistent id and _rebuild_tensor_v2', () => {
    const t = read(
      pickleBytes(
        'ctorch._utils\n_rebuild_tensor_v2\n(',
        '(X',
        u32(7),
        'storagectorch\nHalfStorage\nX',
        u32(1),
        '0X',
        u32(3),
        'cpuK',
        12,
        't',
        'Q',
        'K',
        2,
        'K',
        2,
        'K',
        5,
        0x86,
        'K',
        5,
        'K',
        1,
        0x86,
        0x89,
        'ccollections\nOrderedDict\n)R',
        'tR.',
      ),
    ) as TensorRef;
    assert.ok(t instanceof TensorRef);
    assert.deepEqual([t.storage.dtype, t.storage.key, t.storage.numel], ['float16', '0', 12]);
    assert.deepEqual([t.offset, t.shape, t.stride], [2, [2, 5], [5, 1]]);
  });

  const globals: [string, string][] = [
    ['os', 'system'],
    ['posix', 'system'],
    ['builtins', 'eval'],
    ['builtins', 'getattr'],
    ['subprocess', 'Popen'],
    ['torch', 'load'],
    ['torch._utils', '_rebuild_parameter'],
    ['torch', 'LongStorage'],
    ['__main__', 'Vocab'],
    ['numpy.core.multiarray', '_reconstruct'],
    ['torch', 'constructor'],
    ['torch', '__proto__'],
    ['torch', 'toString'],
  ];
  for (const [module, name] of globals) {
    it(`refuses the global ${module}.${name}, naming it`, () => {
      const payload = pickleBytes(`c${module}\n${name}\n`, 'X', u32(2), 'id', 0x85, 'R.');
      refused(payload, new RegExp(`${module.replace(/\./g, '\\.')}\\.${name}, which is refused`));
    });
  }

  const opcodes: [string, number, string][] = [
    ['INST', 0x69, 'os\nsystem\n'],
    ['OBJ', 0x6f, ''],
    ['NEWOBJ', 0x81, ''],
    ['NEWOBJ_EX', 0x92, ''],
    ['STACK_GLOBAL', 0x93, ''],
    ['EXT1', 0x82, '\x01'],
    ['PERSID', 0x50, '0\n'],
    ['STRING', 0x53, "'x'\n"],
    ['FRAME', 0x95, '\0\0\0\0\0\0\0\0'],
    ['BINBYTES', 0x42, '\x01\0\0\0x'],
  ];
  for (const [name, code, rest] of opcodes) {
    it(`refuses opcode ${name}`, () => {
      refused(
        pickleBytes('N', code, rest, '.'),
        new RegExp(`\\(${name}\\) at offset 3 is not allowed`),
      );
    });
  }

  it('refuses REDUCE of anything but OrderedDict() and _rebuild_tensor_v2', () => {
    refused(pickleBytes('X', u32(1), 'a)R.'), /REDUCE calls the string "a", not a function/);
    refused(
      pickleBytes('ccollections\nOrderedDict\n]', 0x85, 'R.'),
      /OrderedDict is built with arguments/,
    );
    refused(pickleBytes('ctorch\nFloatStorage\n)R.'), /torch\.FloatStorage cannot be called/);
  });

  it('refuses BUILD on anything but an OrderedDict', () => {
    refused(pickleBytes(']}b.'), /BUILD sets the state of a list of 0/);
  });

  it('refuses storages that are not (storage, class, key, location, numel)', () => {
    refused(pickleBytes('(X', u32(3), 'fooK', 1, 'tQ.'), /a persistent id is a tuple of 2/);
    refused(
      pickleBytes('(X', u32(7), 'storageX', u32(1), 'xX', u32(1), '0X', u32(3), 'cpuK', 1, 'tQ.'),
      /a storage has class the string "x", not a float storage class/,
    );
  });

  it('refuses protocols other than 2, data after STOP, and missing MARKs', () => {
    refused(Uint8Array.from([OP.PROTO, 4, 0x4e, 0x2e]), /not a protocol-2 pickle/);
    refused(Uint8Array.from([0x4e, 0x2e]), /not a protocol-2 pickle/);
    refused(pickleBytes('N.N'), /1 bytes follow STOP/);
    refused(pickleBytes(']e.'), /needs a MARK, there is none/);
    refused(pickleBytes('NN.'), /STOP with 2 values on the stack/);
    refused(pickleBytes('s.'), /needs 2 values, found fewer/);
  });

  it('refuses memo entries never stored, and bounds the memo', () => {
    refused(pickleBytes('h', 3, '.'), /GET of memo entry 3, never PUT/);
    refused(pickleBytes('Nq', 0, 'q', 1, 'q', 2, '.'), /memoizes more than 2 values/, {
      maxMemo: 2,
    });
  });

  it('refuses a container that holds itself or changes after being nested', () => {
    refused(pickleBytes(']q', 0, 'h', 0, 'a.'), /a container holds itself/);
    refused(
      pickleBytes(']q', 0, ']h', 0, 'a', 'h', 0, ']a.'),
      /a list of 0 is changed after being nested/,
    );
  });

  it('bounds nesting depth, MARKs, strings and the values created', () => {
    const deep = (n: number) => pickleBytes(...Array(n).fill(']'), ...Array(n - 1).fill('a'), '.');
    assert.ok(read(deep(32)) instanceof PyList);
    refused(deep(33), /containers nest deeper than 32 levels/);
    refused(pickleBytes(...Array(33).fill('('), '.'), /MARKs nest too deep/);
    refused(
      pickleBytes('X', u32(0xfffffff0), '.'),
      /a string of 4294967280 bytes \(at most 1048576\)/,
    );
    refused(pickleBytes('X', u32(100), 'abc.'), /ends early: a string needs 100 bytes/);
    refused(pickleBytes('(', ...Array(50).fill('N'), 't.'), /builds more than 20 values/, {
      maxValues: 20,
    });
  });

  it('reads LONG1 integers and refuses ones beyond 2^53', () => {
    assert.equal(read(pickleBytes(0x8a, 2, 0xff, 0x7f, '.')), 0x7fff);
    assert.equal(read(pickleBytes(0x8a, 1, 0xff, '.')), -1);
    assert.equal(read(pickleBytes(0x8a, 0, '.')), 0);
    refused(pickleBytes(0x8a, 7, 0, 0, 0, 0, 0, 0, 0x40, '.'), /an integer beyond 2\^53/);
    refused(pickleBytes(0x8a, 9, '.'), /an integer of 9 bytes/);
  });

  it('refuses dict keys that are not strings or numbers, and malformed GLOBAL lines', () => {
    refused(pickleBytes('}])s.'), /a dict key is a list of 0/);
    refused(pickleBytes('cos system\n\n.'), /GLOBAL module "os system"/);
    refused(pickleBytes('c' + 'a'.repeat(300) + '\n.'), /GLOBAL module is not a short line/);
  });
});
