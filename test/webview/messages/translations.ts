/**
 * The translations panel's items for the browser harness: sentences as a trained model would
 * give them (one with unknown words, one decoded by beam search with its candidates), each with
 * the attention of a real model with random weights.
 */
import type { AttentionMaps } from '../../../src/decode/attentionMaps';
import type { TranslationItem } from '../../../src/shared/protocol';

/** What a decoding of the random model gives an item: its unknown words and attention. */
export interface Decoded {
  unknownTokens: string[];
  attention: AttentionMaps;
}

/** "I'm home.", "I lost my keys." (an unknown word), "Go.", and "He's calm." by beam search. */
export function translationItems(
  home: Decoded,
  keys: Decoded,
  go: Decoded,
  calmBeam: Decoded,
): TranslationItem[] {
  const decoded = (d: Decoded) => ({ unknownTokens: d.unknownTokens, attention: d.attention });
  return [
    {
      id: 1,
      source: "I'm home.",
      translation: 'je suis chez moi .',
      reference: 'je suis chez moi .',
      bleu: 1,
      ...decoded(home),
    },
    { id: 2, source: 'I lost my keys.', translation: "j'ai perdu <unk> .", ...decoded(keys) },
    { id: 3, source: 'Go.', translation: 'va !', reference: 'va !', bleu: 1, ...decoded(go) },
    {
      id: 4,
      source: "He's calm.",
      translation: 'il est calme .',
      reference: 'il est calme .',
      bleu: 1,
      ...decoded(calmBeam),
      decoding: 'beam search (beam 3, α = 0.75)',
      candidates: [
        { translation: 'il est calme .', logProb: -0.412, score: -0.146, bleu: 1 },
        { translation: 'il est <unk> .', logProb: -1.873, score: -0.662, bleu: 0.658 },
        { translation: 'il est calme !', logProb: -2.305, score: -0.815, bleu: 0.775 },
      ],
    },
  ];
}
