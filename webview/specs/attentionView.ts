/**
 * What the attention panel shows, from its state: the current translation or a training snapshot
 * (with the title, subtitle and file name that go with it), the upper end of the colour scale,
 * and where the view goes when new data comes. Pure, so the panel's rules are unit-tested.
 */
import type { AttentionMaps } from '../../src/decode/attentionMaps';
import type { AttentionDataMessage, TranslationItem } from '../../src/shared/protocol';
import { formatBleu, slug } from '../shared/format';
import { maxWeight } from './heatmap';

/** Which attention the user asked for. */
export type ViewMode = 'current' | 'training';
/** The colour scale: 0 to the largest weight shown, or 0 to 1. */
export type ScaleMode = 'max' | 'one';

export interface AttentionViewState {
  data: AttentionDataMessage | null;
  mode: ViewMode;
  /** Into data.snapshots (clamped when shown). */
  snapshotIndex: number;
  scale: ScaleMode;
}

export interface DisplayedView {
  maps: AttentionMaps;
  title: string;
  subtitle: string;
  /** Export file names without the extension. */
  fileBase: string;
  view: 'current' | 'snapshot';
  /** The snapshot's epoch. */
  epoch?: number;
  /** The translation shown (view 'current'). */
  item?: TranslationItem;
}

function tokensText(tokens: readonly string[]): string {
  return tokens.join(' ');
}

/** The snapshot in training mode (when there is one), else the current translation, else null. */
export function displayedView(s: AttentionViewState): DisplayedView | null {
  const data = s.data;
  if (!data) return null;
  if (s.mode === 'training' && data.snapshots.length > 0) {
    const i = Math.min(Math.max(0, s.snapshotIndex), data.snapshots.length - 1);
    const snap = data.snapshots[i];
    const src = snap.maps.sourceTokens.slice(0, snap.maps.sourceValidLen);
    const tgt = snap.maps.targetInputTokens;
    return {
      maps: snap.maps,
      title: `During training: epoch ${snap.epoch}`,
      subtitle: `Probe pair, teacher-forced: ${tokensText(src)} → ${tokensText(tgt.slice(1))}`,
      fileBase: `attention-epoch-${snap.epoch}`,
      view: 'snapshot',
      epoch: snap.epoch,
    };
  }
  const c = data.current;
  if (!c) return null;
  return {
    maps: c.attention,
    title: `${c.source} → ${c.translation}`,
    subtitle:
      c.reference !== undefined
        ? `Reference: ${c.reference} · BLEU ${formatBleu(c.bleu)}`
        : 'Greedy decoding',
    fileBase: `attention-${slug(c.source)}`,
    view: 'current',
    item: c,
  };
}

/**
 * Upper end of the colour scale: 1, or the largest weight (rounded up to 0.05) over what the
 * view can show (every snapshot in training mode, so the slider keeps one scale).
 */
export function colourDomainMax(s: AttentionViewState): number {
  const data = s.data;
  if (s.scale === 'one' || !data) return 1;
  const maps =
    s.mode === 'training' && data.snapshots.length
      ? data.snapshots.map((snap) => snap.maps)
      : data.current
        ? [data.current.attention]
        : [];
  const max = maxWeight(maps.flatMap((m) => [m.encoderSelf, m.decoderSelf, m.encoderDecoder]));
  return max > 0 ? Math.min(1, Math.ceil(max * 20) / 20) : 1;
}

/**
 * The mode and snapshot after new data: the slider follows the newest snapshot when it was on
 * the last one; a new translation (or one this panel asked for) shows the current view; only
 * snapshots show the training view.
 */
export function viewAfterData(
  s: AttentionViewState,
  next: AttentionDataMessage,
  asked: boolean,
): Pick<AttentionViewState, 'mode' | 'snapshotIndex'> {
  const oldCount = s.data?.snapshots.length ?? 0;
  const last = Math.max(0, next.snapshots.length - 1);
  const followLatest = oldCount === 0 || s.snapshotIndex >= oldCount - 1;
  const snapshotIndex = Math.min(followLatest ? last : s.snapshotIndex, last);
  let mode = s.mode;
  const newCurrent = next.current && next.current.id !== s.data?.current?.id;
  if (newCurrent || asked) mode = 'current';
  if (!next.current && next.snapshots.length) mode = 'training';
  return { mode, snapshotIndex };
}
