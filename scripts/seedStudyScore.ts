/**
 * How scripts/seedStudy.ts scores a run: the book's bleu(pred, label, k=2) of the four seed
 * sentences and, on a held-out window of the corpus, mean BLEU-2, corpus BLEU-4 and the share of
 * collapsed outputs. Both sides' translations go through these same functions.
 */
import { preprocessLineRange } from '../src/data/lines';
import { tokenizeNmt } from '../src/data/tokenize';
import { bleu, corpusBleu } from '../src/decode/bleu';
import { SEED_PAIRS } from '../src/decode/seedSentences';

/** The held-out window's references (and sources, to check both sides read the same lines). */
export function heldOutPairs(
  text: string,
  from: number,
  count: number,
): { sources: string[]; references: string[][] } {
  const { source, target } = tokenizeNmt(preprocessLineRange(text, from, count));
  return { sources: source.map((s) => s.join(' ')), references: target };
}

export function scoreHeldOut(translations: string[], references: string[][]) {
  const preds = translations.map((t) => (t === '' ? [] : t.split(' ')));
  const sum = translations.reduce((s, t, i) => s + bleu(t, references[i].join(' '), 2), 0);
  return {
    count: translations.length,
    meanBleu2: translations.length ? sum / translations.length : 0,
    corpusBleu4: corpusBleu(preds, references),
    degenerate: degenerateShare(preds),
  };
}

/** Share of outputs of 4+ tokens in which one token makes up more than half (a collapse). */
function degenerateShare(preds: string[][]): number {
  const long = preds.filter((p) => p.length >= 4);
  const bad = long.filter((p) => {
    const counts = new Map<string, number>();
    for (const t of p) counts.set(t, (counts.get(t) ?? 0) + 1);
    return Math.max(...counts.values()) * 2 > p.length;
  });
  return preds.length ? bad.length / preds.length : 0;
}

export function seedScores(translations: string[]): number[] {
  return translations.map((t, i) => bleu(t, SEED_PAIRS[i][1], 2));
}
