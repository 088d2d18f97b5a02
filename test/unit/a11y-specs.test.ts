/**
 * The accessible parts of the panels, as pure rules: moving over a heatmap's cells with the
 * keyboard and what a cell says (specs/cellNavigation.ts), the charts as tables
 * (specs/dataTables.ts), and what the training panel says where a result is missing
 * (specs/trainingNotes.ts).
 */
import { strict as assert } from 'node:assert';
import type { EpochPoint } from '../../src/shared/protocol';
import { AttentionSection } from '../../webview/specs/attentionSections';
import { cellSentence, formatWeight, nextCell, readCell } from '../../webview/specs/cellNavigation';
import { heatmapTable, lossTable, runCurvesTable } from '../../webview/specs/dataTables';
import type { RunCurve } from '../../webview/specs/runCurves';
import { neverTrained, resultNotes, SPEED_NOTES } from '../../webview/specs/trainingNotes';

const section: Pick<AttentionSection, 'grid' | 'queries' | 'keys' | 'title'> = {
  title: 'Decoder self-attention',
  queries: ['<bos>', 'je', 'je'],
  keys: ['<bos>', 'je', 'je'],
  // [layer][head][query][key]: layer 0 has one head; later steps are masked.
  grid: [
    [
      [
        [1, null, null],
        [0.25, 0.75, null],
        [0.1, 0.2346, 0.6654],
      ],
    ],
  ],
};

const point = (epoch: number, loss: number): EpochPoint => ({
  epoch,
  numEpochs: 3,
  lossPerToken: loss,
  tokensPerSecond: 4890.4,
  elapsedSeconds: epoch * 61,
  steps: epoch * 10,
});

describe('accessibility rules (webview/specs)', () => {
  describe('moving over a heatmap', () => {
    const shape = { queries: 3, keys: 4 };
    const at = (q: number, k: number) => ({ q, k });

    it('moves one cell with the arrows and stops at the edges', () => {
      assert.deepEqual(nextCell(at(1, 1), 'ArrowRight', false, shape), at(1, 2));
      assert.deepEqual(nextCell(at(1, 1), 'ArrowLeft', false, shape), at(1, 0));
      assert.deepEqual(nextCell(at(1, 1), 'ArrowDown', false, shape), at(2, 1));
      assert.deepEqual(nextCell(at(1, 1), 'ArrowUp', false, shape), at(0, 1));
      assert.deepEqual(nextCell(at(0, 0), 'ArrowUp', false, shape), at(0, 0));
      assert.deepEqual(nextCell(at(2, 3), 'ArrowRight', false, shape), at(2, 3));
    });

    it('Home / End: the row’s first / last key; with Ctrl the first / last cell', () => {
      assert.deepEqual(nextCell(at(1, 2), 'Home', false, shape), at(1, 0));
      assert.deepEqual(nextCell(at(1, 2), 'End', false, shape), at(1, 3));
      assert.deepEqual(nextCell(at(1, 2), 'Home', true, shape), at(0, 0));
      assert.deepEqual(nextCell(at(1, 2), 'End', true, shape), at(2, 3));
    });

    it('PageUp / PageDown: the column’s first / last query; other keys are not moves', () => {
      assert.deepEqual(nextCell(at(1, 2), 'PageUp', false, shape), at(0, 2));
      assert.deepEqual(nextCell(at(1, 2), 'PageDown', false, shape), at(2, 2));
      for (const key of ['Enter', 'Escape', 'Tab', 'a']) {
        assert.equal(nextCell(at(1, 2), key, false, shape), null, key);
      }
    });

    it('says the cell’s query, key and weight once each, with positions for repeated tokens', () => {
      const r = readCell(section as AttentionSection, 0, 0, at(2, 1));
      assert.deepEqual(r, { query: '2 je', key: '1 je', weight: '0.235' });
      assert.equal(cellSentence(r), 'query 2 je, key 1 je, weight 0.235');
      const masked = readCell(section as AttentionSection, 0, 0, at(0, 2));
      assert.equal(cellSentence(masked), 'query 0 <bos>, key 2 je, weight masked');
      assert.equal(formatWeight(Number.NaN), 'masked');
    });
  });

  describe('charts as tables', () => {
    it('a heatmap: a row per query, a column per key, the weights as the tooltip shows them', () => {
      const t = heatmapTable(section, 0, 0, 'Run 2: ');
      assert.equal(
        t.caption,
        'Run 2: Decoder self-attention, layer 1, head 1: the weight each query (row) gives each key (column)',
      );
      assert.deepEqual(
        t.columns.map((c) => c.label),
        ['0 <bos>', '1 je', '2 je'],
      );
      assert.deepEqual(t.rows, [
        { header: '0 <bos>', cells: ['1.000', 'masked', 'masked'] },
        { header: '1 je', cells: ['0.250', '0.750', 'masked'] },
        { header: '2 je', cells: ['0.100', '0.235', '0.665'] },
      ]);
    });

    it('the training loss: a row per epoch with its loss, speed and time', () => {
      const t = lossTable([point(1, 4.21), point(2, 3.5)]);
      assert.equal(t.caption, 'Loss per token after each epoch (2 epochs)');
      assert.equal(t.corner, 'Epoch');
      assert.deepEqual(t.rows[1], { header: '2', cells: ['3.5000', '4,890', '2m 02s'] });
    });

    it('Compare Runs’ curves: a row per epoch any run reached, a column per run, — where none', () => {
      const curve = (runId: string, label: string, points: EpochPoint[]): RunCurve => ({
        runId,
        label,
        color: '#000',
        dash: [1, 0],
        points,
      });
      const t = runCurvesTable([
        curve('b', 'Run 2', [point(1, 3), point(2, 2), point(3, 1)]),
        curve('a', 'Run 1', [point(1, 4)]),
      ]);
      assert.deepEqual(
        t.columns.map((c) => c.label),
        ['Run 2', 'Run 1'],
      );
      assert.deepEqual(t.rows, [
        { header: '1', cells: ['3.0000', '4.0000'] },
        { header: '2', cells: ['2.0000', '—'] },
        { header: '3', cells: ['1.0000', '—'] },
      ]);
    });
  });

  describe('training panel notes', () => {
    it('a stopped run says no new model was saved, not that translations are coming', () => {
      const stopped = resultNotes('cancelled');
      assert.match(stopped.seeds, /stopped/);
      assert.match(stopped.seeds, /no new model/);
      assert.doesNotMatch(stopped.seeds, /appear when training ends/);
      assert.match(resultNotes('training').seeds, /appear when training ends/);
      assert.match(resultNotes('failed').heldOut, /failed/);
    });

    it('names which tokens/s is which', () => {
      assert.match(SPEED_NOTES.epochLabel, /last epoch/);
      assert.match(SPEED_NOTES.run, /whole training/);
      assert.match(SPEED_NOTES.run, /held-out evaluation are not counted/);
    });

    it('shows "no training yet" only before any run', () => {
      assert.equal(neverTrained({ status: 'idle', points: [] }), true);
      assert.equal(neverTrained({ status: 'cancelled', points: [] }), false);
      assert.equal(neverTrained({ status: 'idle', points: [point(1, 2)] }), false);
    });
  });
});
