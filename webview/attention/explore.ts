/**
 * What the attention panel explores of the current translation (issue 13): which view (the
 * heatmaps or the head view), the head view's kind, layer and pinned token, the heads switched
 * off and the masked translation they gave, and the head shown step by step. Only this module
 * changes it; the heads off are per translation (another translation starts with every head on).
 */
import type { AttentionKind, AttentionMaps } from '../../src/decode/attentionMaps';
import type {
  HeadRef,
  HeadWalkthroughMessage,
  MaskedTranslationMessage,
} from '../../src/shared/protocol';
import type { HeadViewFocus } from '../specs/headView';
import { post } from '../shared/vscodeApi';

export type AttentionView = 'heatmaps' | 'heads';

export interface WalkRequest extends HeadRef {
  query: number;
}

export interface ExploreState {
  view: AttentionView;
  kind: AttentionKind;
  layer: number;
  pinned: HeadViewFocus | null;
  /** The translation the heads below belong to. */
  translationId: number | null;
  off: HeadRef[];
  /** The reply to the latest mask (null: every head on, or still waiting). */
  masked: MaskedTranslationMessage | null;
  /** performance.now() when the latest mask was sent (null: answered). */
  sentAt: number | null;
  /** Click to masked translation on screen, ms (the webview's side of the round trip). */
  roundTripMs: number | null;
  walk: { request: WalkRequest; reply: HeadWalkthroughMessage | null } | null;
  /** Which translation the per-head statistics are of, while heads are off. */
  statsOf: StatsOf;
}

/** The translation with every head on, or the one with the heads off (when it came). */
export type StatsOf = 'original' | 'masked';

export const explore: ExploreState = {
  view: 'heatmaps',
  kind: 'encoderSelf',
  layer: 0,
  pinned: null,
  translationId: null,
  off: [],
  masked: null,
  sentAt: null,
  roundTripMs: null,
  walk: null,
  statsOf: 'original',
};

const same = (a: HeadRef, b: HeadRef) =>
  a.kind === b.kind && a.layer === b.layer && a.head === b.head;

export function isOff(ref: HeadRef): boolean {
  return explore.off.some((o) => same(o, ref));
}

/** The sets of heads are equal (in any order). */
export function sameHeads(a: readonly HeadRef[], b: readonly HeadRef[]): boolean {
  return a.length === b.length && a.every((r) => b.some((s) => same(r, s)));
}

/** A new current translation (or none): every head on again, nothing stepped through. */
export function followTranslation(id: number | null): void {
  if (id === explore.translationId) return;
  Object.assign(explore, { translationId: id, off: [], masked: null, sentAt: null, walk: null });
  explore.statsOf = 'original';
  explore.roundTripMs = null;
}

/** Sends the heads off to the host (none: back to the original at once, nothing to ask). */
function sendMask(off: HeadRef[]): void {
  explore.off = off;
  explore.masked = null;
  if (off.length === 0 || explore.translationId === null) {
    explore.sentAt = null;
    explore.statsOf = 'original';
    return;
  }
  explore.sentAt = performance.now();
  post({ type: 'maskHeads', translationId: explore.translationId, off });
}

/** Switches `ref` on or off and translates again. */
export function setHead(ref: HeadRef, on: boolean): void {
  const rest = explore.off.filter((o) => !same(o, ref));
  sendMask(on ? rest : [...rest, { kind: ref.kind, layer: ref.layer, head: ref.head }]);
}

/** `ref` alone on in its layer (the others of that layer off; other layers as they were). */
export function soloHead(ref: HeadRef, numHeads: number): void {
  const others = explore.off.filter((o) => o.kind !== ref.kind || o.layer !== ref.layer);
  const layerOff = Array.from({ length: numHeads }, (_, head) => head)
    .filter((head) => head !== ref.head)
    .map((head) => ({ kind: ref.kind, layer: ref.layer, head }));
  sendMask([...others, ...layerOff]);
}

export function resetHeads(): void {
  sendMask([]);
}

/** The host's answer: kept when it answers the heads off now (an older answer is dropped). */
export function applyMasked(m: MaskedTranslationMessage): boolean {
  if (m.translationId !== explore.translationId || !sameHeads(m.off, explore.off)) return false;
  explore.masked = m;
  if (explore.sentAt !== null) explore.roundTripMs = performance.now() - explore.sentAt;
  explore.sentAt = null;
  return true;
}

/** Asks for one head step by step (with the heads off now). */
export function walk(request: WalkRequest): void {
  if (explore.translationId === null) return;
  explore.walk = { request, reply: null };
  post({ type: 'walkHead', translationId: explore.translationId, off: explore.off, ...request });
}

export function applyWalk(m: HeadWalkthroughMessage): boolean {
  if (!explore.walk || m.translationId !== explore.translationId) return false;
  const w = m.walkthrough;
  const r = explore.walk.request;
  if (w && (w.kind !== r.kind || w.layer !== r.layer || w.head !== r.head || w.query !== r.query))
    return false;
  explore.walk.reply = m;
  return true;
}

export function closeWalk(): void {
  explore.walk = null;
}

export function showStatsOf(of: StatsOf): void {
  explore.statsOf = of;
}

/** The masked translation's maps, when heads are off and its answer came. */
export function maskedMaps(): AttentionMaps | null {
  return explore.off.length > 0 ? (explore.masked?.result?.attention ?? null) : null;
}
