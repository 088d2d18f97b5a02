import { Vocab } from '../data/vocab';
import { PositionMode } from '../model/config';
import { Transformer } from '../model/transformer';
import { bleu } from './bleu';
import type { SourceTruncation } from './encodeSource';
import { greedyTranslate, Translation } from './greedy';

/** The four sentences the book translates after training, with their references. */
export const SEED_PAIRS: readonly (readonly [string, string])[] = [
  ['go .', 'va !'],
  ['i lost .', "j'ai perdu ."],
  ["he's calm .", 'il est calme .'],
  ["i'm home .", 'je suis chez moi .'],
];

export interface ScoredTranslation {
  source: string;
  reference: string;
  translation: string;
  /** The book's bleu(pred, label, k=2). */
  bleu: number;
  unknownTokens: string[];
  truncation?: SourceTruncation;
}

export function scoreTranslation(t: Translation, reference: string): ScoredTranslation {
  return {
    source: t.source,
    reference,
    translation: t.translation,
    bleu: bleu(t.translation, reference, 2),
    unknownTokens: t.unknownTokens,
    ...(t.truncation ? { truncation: t.truncation } : {}),
  };
}

export function translateSeeds(
  model: Transformer,
  srcVocab: Vocab,
  tgtVocab: Vocab,
  numSteps: number,
  positionMode: PositionMode = 'correct',
): ScoredTranslation[] {
  return SEED_PAIRS.map(([src, ref]) =>
    scoreTranslation(
      greedyTranslate(model, srcVocab, tgtVocab, src, { numSteps, positionMode }),
      ref,
    ),
  );
}
