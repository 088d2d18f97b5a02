/**
 * The attention panel's rules, as pure functions (webview/specs/attentionView.ts,
 * webview/specs/gridLayout.ts): which view is shown, the colour scale, where the view goes when
 * data comes, the heatmaps' cell size; and the training panel's finer ETA (shared/format.ts).
 */
import { strict as assert } from 'node:assert';
import type { AttentionMaps } from '../../src/decode/attentionMaps';
import type { AttentionDataMessage, TranslationItem } from '../../src/shared/protocol';
import {
  AttentionViewState,
  colourDomainMax,
  displayedView,
  viewAfterData,
} from '../../webview/specs/attentionView';
import { batchEta } from '../../webview/shared/format';

/** One layer, one head, weights all `w` (none masked). */
function maps(w: number, source = ['go', '.', '<eos>', '<pad>']): AttentionMaps {
  const grid = (q: number, k: number) => [[Array.from({ length: q }, () => Array(k).fill(w))]];
  return {
    sourceTokens: source,
    sourceValidLen: 3,
    targetInputTokens: ['<bos>', 'va', '!'],
    outputTokens: ['va', '!', '<eos>'],
    encoderSelf: grid(source.length, source.length),
    decoderSelf: grid(3, 3),
    encoderDecoder: grid(3, source.length),
  };
}

function item(id: number, attention: AttentionMaps): TranslationItem {
  return {
    id,
    source: 'go .',
    translation: 'va !',
    reference: 'va !',
    bleu: 1,
    unknownTokens: [],
    attention,
  };
}

function data(current: TranslationItem | null, epochs: number[]): AttentionDataMessage {
  const snapshots = epochs.map((epoch) => ({ epoch, maps: maps(epoch / 100) }));
  return { type: 'attentionData', current, snapshots };
}

function view(o: Partial<AttentionViewState>): AttentionViewState {
  return { data: null, mode: 'current', snapshotIndex: 0, scale: 'max', ...o };
}

describe('attention panel view (webview/specs/attentionView)', () => {
  it('shows nothing without data, the translation in current mode', () => {
    assert.equal(displayedView(view({})), null);
    const d = displayedView(view({ data: data(item(1, maps(0.5)), [10]) }));
    assert.equal(d?.view, 'current');
    assert.equal(d?.title, 'go . → va !');
    assert.equal(d?.subtitle, 'Reference: va ! · BLEU 1.000');
    assert.equal(d?.fileBase, 'attention-go');
    assert.equal(d?.item?.id, 1);
  });

  it('shows the chosen snapshot in training mode, clamped to the ones there are', () => {
    const s = view({ data: data(null, [10, 20, 30]), mode: 'training', snapshotIndex: 7 });
    const d = displayedView(s);
    assert.equal(d?.view, 'snapshot');
    assert.equal(d?.epoch, 30);
    assert.equal(d?.fileBase, 'attention-epoch-30');
    assert.equal(d?.subtitle, 'Probe pair, teacher-forced: go . <eos> → va !');
    assert.equal(d?.item, undefined);
    // Training mode without snapshots falls back to the translation.
    assert.equal(
      displayedView(view({ data: data(item(1, maps(0.5)), []), mode: 'training' }))?.view,
      'current',
    );
  });

  it('scales colours to the largest weight (up to 0.05) over every snapshot, or 0–1', () => {
    const s = view({ data: data(item(1, maps(0.31)), [10, 42]), mode: 'training' });
    assert.equal(colourDomainMax(s), 0.45);
    assert.equal(colourDomainMax({ ...s, mode: 'current' }), 0.35);
    assert.equal(colourDomainMax({ ...s, scale: 'one' }), 1);
    assert.equal(colourDomainMax(view({ data: data(item(1, maps(0)), []) })), 1);
  });

  it('follows the newest snapshot only from the last one', () => {
    const on = view({ data: data(null, [10, 20]), mode: 'training', snapshotIndex: 1 });
    assert.deepEqual(viewAfterData(on, data(null, [10, 20, 30]), false), {
      mode: 'training',
      snapshotIndex: 2,
    });
    const back = { ...on, snapshotIndex: 0 };
    assert.deepEqual(viewAfterData(back, data(null, [10, 20, 30]), false).snapshotIndex, 0);
    assert.deepEqual(viewAfterData(back, data(null, []), false).snapshotIndex, 0);
  });

  it('switches to a new translation, or to training when only snapshots come', () => {
    const training = view({ data: data(item(1, maps(0.5)), [10]), mode: 'training' });
    assert.equal(
      viewAfterData(training, data(item(1, maps(0.5)), [10, 20]), false).mode,
      'training',
    );
    assert.equal(viewAfterData(training, data(item(2, maps(0.5)), [10]), false).mode, 'current');
    assert.equal(viewAfterData(training, data(item(1, maps(0.5)), [10]), true).mode, 'current');
    assert.equal(viewAfterData(view({}), data(null, [10]), false).mode, 'training');
  });
});

describe('batch ETA (webview/shared/format)', () => {
  const train = { phase: 'train' as const, epoch: 2, numEpochs: 4, total: 100, elapsedSeconds: 30 };

  it('counts mini-batches over the whole run while training', () => {
    // 150 of 400 batches in 30 s: 250 left at 0.2 s each.
    assert.equal(batchEta({ ...train, done: 50 }, null), 50);
    assert.equal(batchEta({ ...train, done: 100 }, null), null);
    assert.equal(batchEta({ ...train, epoch: 1, done: 0 }, null), null);
  });

  it('counts held-out sentences from the first held-out message', () => {
    const p = { ...train, phase: 'heldOut' as const, done: 30, total: 50, elapsedSeconds: 40 };
    assert.equal(batchEta(p, { elapsedSeconds: 30, done: 10 }), 10);
    assert.equal(batchEta(p, null), null);
    assert.equal(batchEta(p, { elapsedSeconds: 40, done: 30 }), null);
  });
});
