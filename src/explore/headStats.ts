/**
 * Per-head statistics of attention maps (plain data, no tfjs): how spread out each head's
 * weights are and where they go (the same, previous or next position, `<eos>`, `<bos>`,
 * punctuation), and a short label where one of these dominates — the questions bertviz and
 * exBERT users ask of a head.
 */
import { ATTENTION_KINDS, AttentionKind, AttentionMaps } from '../decode/attentionMaps';

/** One head's statistics: every share is a mean over the head's query rows, in [0, 1]. */
export interface HeadStats {
  /** Mean entropy of a query row (nats), over the keys the row may see. */
  entropy: number;
  /** Mean entropy / log(visible keys): 1 is uniform, 0 is one key (rows of one key count 0). */
  normalizedEntropy: number;
  /**
   * Weight on key position q (the query's own), q-1 and q+1. For encoder–decoder attention the
   * positions are indices (target step t, source position t): a diagonal, not a token identity.
   */
  same: number;
  previous: number;
  next: number;
  /** Weight on keys that are `<eos>`, `<bos>`, or one of , . ! ? (the book's punctuation). */
  eos: number;
  bos: number;
  punctuation: number;
  /** How many query rows the means are over (0: the head saw no rows; every value is 0). */
  rows: number;
}

/** [layer][head] statistics for each kind. */
export type HeadStatsTable = Record<AttentionKind, HeadStats[][]>;

/** The marks the book's preprocessing splits off as tokens. */
const PUNCTUATION = new Set([',', '.', '!', '?']);

/** The rows and keys a kind's maps are read on, and the key tokens. */
interface KindView {
  rows: number;
  keyTokens: readonly string[];
}

function viewOf(maps: AttentionMaps, kind: AttentionKind): KindView {
  // Encoder queries past the source's valid length are padding: their rows say nothing.
  if (kind === 'encoderSelf') return { rows: maps.sourceValidLen, keyTokens: maps.sourceTokens };
  const rows = maps.targetInputTokens.length;
  return {
    rows,
    keyTokens: kind === 'decoderSelf' ? maps.targetInputTokens : maps.sourceTokens,
  };
}

/** The running sums of one head (HeadStats without the means taken). */
type Sums = Omit<HeadStats, 'rows'> & { rows: number };

function zeroSums(): Sums {
  return {
    entropy: 0,
    normalizedEntropy: 0,
    same: 0,
    previous: 0,
    next: 0,
    eos: 0,
    bos: 0,
    punctuation: 0,
    rows: 0,
  };
}

/** Adds one query row q (null: a masked key) to `s`. */
function addRow(s: Sums, row: readonly (number | null)[], q: number, keys: readonly string[]) {
  let h = 0;
  let visible = 0;
  row.forEach((w, k) => {
    if (w === null) return;
    visible++;
    if (w > 0) h -= w * Math.log(w);
    const token = keys[k];
    if (token === '<eos>') s.eos += w;
    if (token === '<bos>') s.bos += w;
    if (token !== undefined && PUNCTUATION.has(token)) s.punctuation += w;
  });
  s.entropy += h;
  s.normalizedEntropy += visible > 1 ? h / Math.log(visible) : 0;
  s.same += row[q] ?? 0;
  s.previous += row[q - 1] ?? 0;
  s.next += row[q + 1] ?? 0;
  s.rows++;
}

function meansOf(s: Sums): HeadStats {
  const n = s.rows || 1;
  return {
    entropy: s.entropy / n,
    normalizedEntropy: s.normalizedEntropy / n,
    same: s.same / n,
    previous: s.previous / n,
    next: s.next / n,
    eos: s.eos / n,
    bos: s.bos / n,
    punctuation: s.punctuation / n,
    rows: s.rows,
  };
}

/** Sums for every head of every kind of one set of maps, added into `into`. */
function accumulate(maps: AttentionMaps, into: Record<AttentionKind, Sums[][]>): void {
  for (const kind of ATTENTION_KINDS) {
    const view = viewOf(maps, kind);
    maps[kind].forEach((layer, l) =>
      layer.forEach((head, h) => {
        const s = ((into[kind][l] ??= [])[h] ??= zeroSums());
        for (let q = 0; q < Math.min(view.rows, head.length); q++) {
          addRow(s, head[q], q, view.keyTokens);
        }
      }),
    );
  }
}

/**
 * The statistics of every head for one translation's maps (AttentionMaps of greedyTranslate,
 * beamTranslate or captureTeacherForced).
 */
export function headStatsOf(maps: AttentionMaps): HeadStatsTable {
  return averageHeadStats([maps]);
}

/**
 * The statistics of every head over many maps (held-out pairs): every query row of every
 * sentence weighs the same, so a long sentence counts more than a short one.
 */
export function averageHeadStats(all: readonly AttentionMaps[]): HeadStatsTable {
  const sums: Record<AttentionKind, Sums[][]> = {
    encoderSelf: [],
    decoderSelf: [],
    encoderDecoder: [],
  };
  for (const maps of all) accumulate(maps, sums);
  const out = {} as HeadStatsTable;
  for (const kind of ATTENTION_KINDS) {
    out[kind] = sums[kind].map((layer) => layer.map(meansOf));
  }
  return out;
}

/** What dominates a head, as a short label for its grid cell. */
export type HeadLabel =
  | 'same token'
  | 'previous token'
  | 'next token'
  | 'to <eos>'
  | 'to <bos>'
  | 'to punctuation'
  | 'broad';

/**
 * A share at or above this dominates (more than half the head's weight on one kind of key, on
 * average); a normalised entropy at or above BROAD_ENTROPY is "broad" (0.85 of uniform's). Chosen
 * by eye on the book's model, where the clear heads are well above and the mixed ones well below.
 */
export const DOMINANT_SHARE = 0.5;
export const BROAD_ENTROPY = 0.85;

/**
 * The label of a head, or null when nothing dominates: the largest share at or above
 * DOMINANT_SHARE (positional shares are not used for encoder–decoder attention, whose positions
 * are not aligned), else "broad" when the normalised entropy is at or above BROAD_ENTROPY.
 */
export function headLabel(stats: HeadStats, kind: AttentionKind): HeadLabel | null {
  const candidates: [HeadLabel, number][] = [
    ['to <eos>', stats.eos],
    ['to <bos>', stats.bos],
    ['to punctuation', stats.punctuation],
  ];
  if (kind !== 'encoderDecoder') {
    candidates.push(
      ['same token', stats.same],
      ['previous token', stats.previous],
      ['next token', stats.next],
    );
  }
  const best = candidates.reduce((a, b) => (b[1] > a[1] ? b : a));
  if (stats.rows > 0 && best[1] >= DOMINANT_SHARE) return best[0];
  if (stats.rows > 0 && stats.normalizedEntropy >= BROAD_ENTROPY) return 'broad';
  return null;
}

/** headLabel of every head: [layer][head] per kind. */
export function headLabels(table: HeadStatsTable): Record<AttentionKind, (HeadLabel | null)[][]> {
  const out = {} as Record<AttentionKind, (HeadLabel | null)[][]>;
  for (const kind of ATTENTION_KINDS) {
    out[kind] = table[kind].map((layer) => layer.map((s) => headLabel(s, kind)));
  }
  return out;
}
