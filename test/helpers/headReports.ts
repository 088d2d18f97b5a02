/** A made-up but well-formed head report (src/shared/headReport.ts) for record and view tests. */
import type { AttentionKind } from '../../src/decode/attentionMaps';
import type { HeadReport, HeadRow } from '../../src/shared/protocol';

const KINDS: AttentionKind[] = ['encoderSelf', 'decoderSelf', 'encoderDecoder'];

/** numLayers × numHeads heads per kind; head i of the list scores i/10 (gradient), etc. */
export function sampleHeadReport(numLayers = 1, numHeads = 2): HeadReport {
  const heads: HeadRow[] = [];
  for (const kind of KINDS) {
    for (let layer = 0; layer < numLayers; layer++) {
      for (let head = 0; head < numHeads; head++) {
        const i = heads.length;
        heads.push({
          kind,
          layer,
          head,
          bleuDrop: 0.01 * i - 0.02,
          lossIncrease: 0.05 * i,
          gradient: 0.1 * i,
          stats: {
            entropy: 0.5,
            normalizedEntropy: i === 0 ? 0.9 : 0.3,
            same: 0.1,
            previous: i === 1 ? 0.7 : 0.1,
            next: 0.1,
            eos: 0.1,
            bos: 0,
            punctuation: 0.05,
            rows: 8,
          },
          label: i === 0 ? 'broad' : i === 1 ? 'previous token' : null,
        });
      }
    }
  }
  const baseline = { bleu: 0.6, loss: 0.2 };
  return {
    createdAt: '2026-12-01T16:00:00.000Z',
    fromLine: 601,
    count: 200,
    baseline,
    order: 'gradient',
    heads,
    pruning: [
      { k: 0, head: null, ...baseline },
      ...heads.map(({ kind, layer, head }, i) => ({
        k: i + 1,
        head: { kind, layer, head },
        bleu: 0.6 * (1 - (i + 1) / heads.length),
        loss: 0.2 + 0.1 * (i + 1),
      })),
    ],
    seconds: 12.5,
  };
}
