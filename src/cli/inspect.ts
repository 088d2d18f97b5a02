/**
 * `cli.js translate` and `cli.js eval`: a saved model (or one the book's PyTorch code saved) translating a sentence (with the shapes of
 * its attention) or scoring corpus pairs.
 */
import { selectBackend } from '../backend/backend';
import { readCorpusFile } from '../data/corpus';
import { gridShape } from '../decode/attentionMaps';
import { evaluateRange } from '../decode/evaluate';
import { greedyTranslate } from '../decode/greedy';
import { headsOffMask } from '../model/headMask';
import { CliValues, UsageError, choiceFlag, flag, nonNegativeInt, required } from './args';
import { checkMaskFits, headSpec, parseMaskSpec } from './maskSpec';
import { LoadedModel, loadModel } from './model';
import { say } from './output';

export async function translateCommand(values: CliValues, positionals: string[]): Promise<void> {
  const dir = required(flag(values, 'model'), '--model');
  const sentence = positionals.join(' ');
  if (!sentence.trim()) throw new UsageError('Give the sentence to translate');
  const positionMode = choiceFlag(values, 'positionMode');
  const maskSpec = flag(values, 'mask');
  // Parsed before the model loads: a typo fails at once, with exit 2.
  const off = maskSpec === undefined ? null : parseMaskSpec(maskSpec);
  await withCheckpoint(values, dir, (ck) => {
    if (off) checkMaskFits(off, ck.hyperparameters);
    const t = greedyTranslate(ck.model, ck.srcVocab, ck.tgtVocab, sentence, {
      numSteps: ck.hyperparameters.numSteps,
      positionMode,
      headMask: off ? headsOffMask(ck.hyperparameters, off) : undefined,
    });
    say(t.translation);
    if (off) say(`heads off: ${off.map(headSpec).join(', ')}`);
    if (t.unknownTokens.length) say(`unknown words (<unk>): ${t.unknownTokens.join(' ')}`);
    const a = t.attention;
    const kinds = [
      ['encoder self-attention', a.encoderSelf],
      ['decoder self-attention', a.decoderSelf],
      ['encoder-decoder attention', a.encoderDecoder],
    ] as const;
    for (const [kind, grid] of kinds) {
      say(`${kind} (layer, head, query, key): ${gridShape(grid).join(' x ')}`);
    }
  });
}

export async function evalCommand(values: CliValues): Promise<void> {
  const dir = required(flag(values, 'model'), '--model');
  const data = required(flag(values, 'data'), '--data');
  const from = nonNegativeInt(required(flag(values, 'from'), '--from'), '--from');
  const count = nonNegativeInt(required(flag(values, 'count'), '--count'), '--count');
  const positionMode = choiceFlag(values, 'positionMode');
  await withCheckpoint(values, dir, (ck) => {
    const text = readCorpusFile(data);
    const numSteps = ck.hyperparameters.numSteps;
    const r = evaluateRange(
      ck.model,
      ck.srcVocab,
      ck.tgtVocab,
      text,
      from,
      count,
      numSteps,
      positionMode,
    );
    say(JSON.stringify(r));
  });
}

/**
 * Starts the backend, loads the model (a checkpoint folder, or a .pt / .safetensors the book's
 * PyTorch code saved: ./model.ts), and disposes it after `use`.
 */
export async function withCheckpoint(
  values: CliValues,
  dir: string,
  use: (ck: LoadedModel) => void | Promise<void>,
): Promise<void> {
  await selectBackend(choiceFlag(values, 'backend'));
  const ck = await loadModel(dir);
  try {
    await use(ck);
  } finally {
    ck.model.dispose();
  }
}
