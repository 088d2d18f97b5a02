/**
 * checkRunRecord (src/shared/runRecord.ts), the one check of a run record, and its three
 * readers: run.json from disk (src/runs/runRecordFile.ts), a runsState message at the webview's
 * boundary (parseHostMessage) and the Compare Runs panel's saved state (runsStateProblem). A
 * record one of them accepts, the others accept too.
 */
import { strict as assert } from 'node:assert';
import { parseRunRecord } from '../../src/runs/runRecordFile';
import type { RunRecord } from '../../src/shared/protocol';
import { checkRunRecord } from '../../src/shared/runRecord';
import { parseHostMessage, runsStateProblem } from '../../src/shared/validate';
import { sampleHeadReport } from '../helpers/headReports';
import { runRecord, runsStateOf } from '../helpers/runRecords';

const runsState = runsStateOf;

/** What each reader says of `record`: null when it accepts it, else its message. */
function verdicts(record: Record<string, unknown>): (string | null)[] {
  const file = parseRunRecord(JSON.stringify(record), String(record.id));
  const message = parseHostMessage(runsState([record]));
  return [
    file.ok ? null : file.error,
    message.ok ? null : message.error,
    runsStateProblem(runsState([record])),
  ];
}

describe('checkRunRecord: one check of a run record, wherever it is read', () => {
  const good = runRecord(1) as unknown as Record<string, unknown>;
  const id = good.id as string;

  it('accepts a well-formed record in all three readers', () => {
    assert.deepEqual(verdicts(good), [null, null, null]);
  });

  it('accepts a record with its head report, and keeps the report', () => {
    const withHeads = { ...good, heads: sampleHeadReport(2, 4) };
    assert.deepEqual(verdicts(withHeads), [null, null, null]);
    const checked = checkRunRecord(withHeads);
    assert.ok(checked.ok);
    assert.deepEqual(checked.run.heads, sampleHeadReport(2, 4));
  });

  const damaged: [string, Record<string, unknown>, RegExp][] = [
    ['a point without an epoch', { points: [{}] }, /bad points/],
    ['a seed without a source', { seeds: [{ translation: 'va !' }] }, /bad seeds/],
    ['an unknown status', { status: 'paused' }, /unknown status "paused"/],
    ['no run number', { number: 0 }, /no number/],
    [
      'hyperparameters out of range',
      { hyperparameters: { ...(good.hyperparameters as object), numHeads: 0 } },
      /bad hyperparameters \(numHeads/,
    ],
    [
      'hyperparameters without the architecture',
      { hyperparameters: {} },
      /bad hyperparameters \(numLayers, numHiddens/,
    ],
    ['an unknown positionMode', { positionMode: 'sideways' }, /unknown positionMode "sideways"/],
    ['a summary that is not an object', { summary: 3 }, /bad summary/],
    [
      'a head report without heads',
      { heads: { ...sampleHeadReport(), heads: 'x' } },
      /heads: bad heads/,
    ],
    [
      'a head of an unknown kind',
      { heads: { ...sampleHeadReport(), heads: [{ ...sampleHeadReport().heads[0], kind: 'x' }] } },
      /heads: bad heads/,
    ],
    [
      'a head report with an unknown order',
      { heads: { ...sampleHeadReport(), order: 'random' } },
      /heads: unknown order "random"/,
    ],
  ];
  for (const [what, over, message] of damaged) {
    it(`refuses ${what} in all three readers, with one message`, () => {
      const said = verdicts({ ...good, ...over });
      assert.match(said[0]!, new RegExp(`^${id}: ${message.source}`), 'run.json');
      assert.match(said[1]!, new RegExp(`^runsState: run ${id}: ${message.source}`), 'message');
      assert.match(said[2]!, new RegExp(`^run ${id}: ${message.source}`), 'saved state');
    });
  }

  it('gives fields older records lack their defaults', () => {
    const hyperparameters: Record<string, unknown> = { ...(good.hyperparameters as object) };
    delete hyperparameters.attentionFunction; // added after the first runs
    const older: Record<string, unknown> = { ...good, hyperparameters };
    for (const key of [
      'positionMode',
      'backend',
      'summary',
      'heldOut',
      'hasCheckpoint',
      'sizeBytes',
    ])
      delete older[key];
    const checked = checkRunRecord(older);
    assert.ok(checked.ok);
    const run: RunRecord = checked.run;
    assert.equal(run.positionMode, 'correct');
    assert.deepEqual([run.backend, run.summary, run.heldOut], [null, null, null]);
    assert.equal(run.hasCheckpoint, false);
    assert.equal(run.sizeBytes, 0);
    assert.equal(run.hyperparameters.attentionFunction, 'dotProduct');
  });

  it('names a run.json whose id is not its folder', () => {
    const r = parseRunRecord(JSON.stringify(good), 'run-9-20261125t100009');
    assert.deepEqual(r, {
      ok: false,
      error: 'run-9-20261125t100009: the id in run.json does not match its folder',
    });
  });
});
