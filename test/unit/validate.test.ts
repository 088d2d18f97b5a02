/**
 * The message validators against hostile arrays: sparse ones (holes that some(), every() and
 * map() skip) and huge ones (rejected by their length, before any element is read).
 */
import { strict as assert } from 'node:assert';
import type { CompareAttentionResultMessage, RunRecord } from '../../src/shared/protocol';
import { isArrayOf, parseWebviewMessage, runsStateProblem } from '../../src/shared/validate';
import { compareResultProblem } from '../../webview/compare/guards';
import { runRecord, runsStateOf } from '../helpers/runRecords';

const RUN_A = 'run-1-20261125t100001';
const RUN_B = 'run-2-20261125t100002';

/** An array that counts how many of its elements are read. */
function counted(length: number, fill: unknown): { array: unknown[]; reads: () => number } {
  let reads = 0;
  const array = new Proxy(new Array(length).fill(fill), {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { array, reads: () => reads };
}

const compare = (runIds: unknown) =>
  parseWebviewMessage({ type: 'compareAttention', runIds, sentence: 'go .' });

describe('message validators (src/shared/validate.ts)', () => {
  it('compareAttention accepts two run ids', () => {
    assert.deepEqual(compare([RUN_A, RUN_B]), {
      ok: true,
      message: { type: 'compareAttention', runIds: [RUN_A, RUN_B], sentence: 'go .' },
    });
  });

  it('compareAttention rejects a sparse runIds array', () => {
    const holeFirst: unknown[] = [];
    holeFirst[1] = RUN_B;
    const holeLast: unknown[] = [RUN_A];
    holeLast.length = 2;
    for (const runIds of [holeFirst, holeLast, new Array(2)]) {
      const r = compare(runIds);
      assert.deepEqual(r, { ok: false, error: 'compareAttention: runIds must be two run ids' });
    }
  });

  it('compareAttention rejects a long runIds array by its length, reading no element', () => {
    const { array, reads } = counted(10_000_000, RUN_A);
    assert.equal(compare(array).ok, false);
    assert.equal(reads(), 0);
    assert.equal(compare([RUN_A, RUN_B, RUN_A]).ok, false);
    assert.equal(compare([RUN_A]).ok, false);
  });

  it('a type named like an Object.prototype member is an unknown type', () => {
    for (const type of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      const r = parseWebviewMessage({ type });
      assert.deepEqual(r, {
        ok: false,
        error: `unknown message type ${JSON.stringify(type).slice(0, 40)}`,
      });
    }
  });

  it('runCommand accepts only the commands a panel may run', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'runCommand', command: 'train' }), {
      ok: true,
      message: { type: 'runCommand', command: 'train' },
    });
    for (const command of ['workbench.action.reloadWindow', 'deleteRun', '', 1, undefined]) {
      const r = parseWebviewMessage({ type: 'runCommand', command });
      assert.equal(r.ok, false, String(command));
    }
  });

  it('runCommand: Open Model…, and a run for the commands that take one (Compare Runs)', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'runCommand', command: 'openModel' }), {
      ok: true,
      message: { type: 'runCommand', command: 'openModel' },
    });
    for (const command of ['scoreHeadImportance', 'scoreHeldOut']) {
      assert.deepEqual(parseWebviewMessage({ type: 'runCommand', command, runId: 'run-2-x' }), {
        ok: true,
        message: { type: 'runCommand', command, runId: 'run-2-x' },
      });
    }
    const refused = [
      { command: 'train', runId: 'run-2-x' }, // takes no run
      { command: 'openModel', runId: 'run-2-x' },
      { command: 'scoreHeadImportance', runId: '../etc' },
      { command: 'scoreHeldOut', runId: 7 },
    ];
    for (const m of refused) {
      assert.equal(parseWebviewMessage({ type: 'runCommand', ...m }).ok, false, JSON.stringify(m));
    }
  });

  it('isArrayOf checks the length first, then every element, holes included', () => {
    const isNumber = (v: unknown) => typeof v === 'number';
    assert.equal(isArrayOf([1, 2, 3], 3, isNumber), true);
    assert.equal(isArrayOf([], 0, isNumber), true);
    assert.equal(isArrayOf([1, 2, 3], 2, isNumber), false);
    const sparse = [1, 2, 3];
    delete sparse[1];
    assert.equal(isArrayOf(sparse, 3, isNumber), false);
    assert.equal(isArrayOf({ length: 1, 0: 1 }, 3, isNumber), false);
    const { array, reads } = counted(1_000_001, 1);
    assert.equal(isArrayOf(array, 1_000_000, isNumber), false);
    assert.equal(reads(), 0);
  });
});

describe('Compare Runs host message guards (webview/compare/guards.ts)', () => {
  const state = runsStateOf;

  it('accepts a well-formed run', () => {
    assert.equal(runsStateProblem(state([runRecord(1)])), null);
  });

  it('rejects sparse points, seeds and runs', () => {
    const points = runRecord(1).points.slice();
    delete (points as unknown[])[0];
    assert.match(runsStateProblem(state([runRecord(1, { points })]))!, /bad points/);
    const seeds = new Array(1) as RunRecord['seeds'];
    assert.match(runsStateProblem(state([runRecord(1, { seeds })]))!, /bad seeds/);
    assert.match(runsStateProblem(state(new Array(1)))!, /not an object/);
  });

  it('rejects arrays longer than their bounds without walking them', () => {
    const { array, reads } = counted(100_001, runRecord(1).points[0]);
    assert.match(
      runsStateProblem(state([{ ...runRecord(1), points: array as RunRecord['points'] }]))!,
      /bad points/,
    );
    assert.equal(reads(), 0);
    const many = counted(10_001, runRecord(1));
    assert.match(runsStateProblem(state(many.array))!, /at most 10000/);
    assert.equal(many.reads(), 0);
    const sides = counted(3, { runId: RUN_A, label: 'Run 1', item: null });
    const result = { type: 'compareAttentionResult', sentence: 'go .', sides: sides.array };
    assert.match(
      compareResultProblem(result as CompareAttentionResultMessage)!,
      /sides must be an array of at most 2/,
    );
    assert.equal(sides.reads(), 0);
  });
});
