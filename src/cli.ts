/**
 * Command line for the training core (no VS Code needed):
 *   node dist/cli.js train --data FILE [--examples 600 --epochs 200 ...] --out DIR
 *   node dist/cli.js translate --model DIR "sentence"
 *   node dist/cli.js eval --model DIR --data FILE --from N --count M
 */
import { parseArgs } from 'node:util';
import { BACKEND_CHOICES, BackendChoice, selectBackend } from './backend/backend';
import { checkSaveTarget, loadCheckpoint, saveCheckpoint } from './checkpoint/checkpoint';
import {
  ATTENTION_FUNCTIONS,
  DEFAULT_HYPERPARAMETERS,
  validateHyperparameters,
} from './config/hyperparameters';
import { readCorpusFile } from './data/corpus';
import { evaluateRange } from './decode/evaluate';
import { greedyTranslate } from './decode/greedy';
import { translateSeeds } from './decode/seedSentences';
import { gridShape } from './decode/attentionMaps';
import { PositionMode } from './model/config';
import { trainFromText } from './train/experiment';
import { trainFromTextParallel } from './train/parallel';
import { trainingThreads } from './train/threads';
import type { BatchReport } from './train/trainer';

const USAGE = `Usage:
  cli.js train --data FILE --out DIR [--examples N] [--epochs N] [--layers N] [--hidden N]
               [--heads N] [--ffn N] [--dropout X] [--batch N] [--steps N] [--lr X] [--seed N]
               [--attention dotProduct|additive] [--backend auto|gpu|wasm|cpu] [--threads auto|1|2]
               [--progress SECONDS]  (batch progress on stderr inside long epochs; default 2)
  cli.js translate --model DIR [--positions correct|book] [--backend ...] "sentence"
  cli.js eval --model DIR --data FILE --from N --count M [--backend ...]`;

/** CLI flag -> hyperparameter. */
const FLAGS = {
  examples: 'numExamples',
  epochs: 'numEpochs',
  layers: 'numLayers',
  hidden: 'numHiddens',
  heads: 'numHeads',
  ffn: 'ffnNumHiddens',
  dropout: 'dropout',
  batch: 'batchSize',
  steps: 'numSteps',
  lr: 'learningRate',
  seed: 'seed',
} as const;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      model: { type: 'string' },
      from: { type: 'string' },
      count: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      positions: { type: 'string', default: 'correct' },
      threads: { type: 'string', default: 'auto' },
      attention: { type: 'string' },
      progress: { type: 'string', default: '2' },
      ...Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: 'string' as const }])),
    },
  });
  const backend = values.backend as BackendChoice;
  if (!BACKEND_CHOICES.includes(backend))
    throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}`);
  const positionMode = values.positions as PositionMode;
  if (positionMode !== 'correct' && positionMode !== 'book')
    throw new UsageError('--positions must be correct or book');

  switch (command) {
    case 'train': {
      const data = required(values.data, '--data');
      const out = required(values.out, '--out');
      const raw: Record<string, number | string> = {};
      for (const [flag, key] of Object.entries(FLAGS)) {
        const v = (values as Record<string, string | undefined>)[flag];
        if (v === undefined) continue;
        // Number('') is 0 and Number('abc') NaN: name the flag and what was typed instead.
        const n = Number(v);
        if (v.trim() === '' || !Number.isFinite(n)) {
          throw new UsageError(`--${flag} (${key}) must be a number (got ${JSON.stringify(v)})`);
        }
        raw[key] = n;
      }
      if (values.attention !== undefined) {
        if (!(ATTENTION_FUNCTIONS as readonly string[]).includes(values.attention)) {
          throw new UsageError(
            `--attention (attentionFunction) must be ${ATTENTION_FUNCTIONS.join(' or ')} ` +
              `(got ${JSON.stringify(values.attention)})`,
          );
        }
        raw.attentionFunction = values.attention;
      }
      const checked = validateHyperparameters({ ...DEFAULT_HYPERPARAMETERS, ...raw });
      if (!checked.ok) throw new UsageError(checked.errors.join('\n'));
      const h = checked.value;
      const progressSeconds = Number(values.progress);
      if (values.progress.trim() === '' || !(progressSeconds >= 0))
        throw new UsageError(
          `--progress must be a number of seconds >= 0 (got ${values.progress})`,
        );
      await checkSaveTarget(out); // --out is refused before training, not after it
      const info = await selectBackend(backend);
      console.log(`backend: ${info.label} (${info.reason})`);
      const text = readCorpusFile(data);
      const threadChoice = values.threads as 'auto' | '1' | '2';
      if (!['auto', '1', '2'].includes(threadChoice))
        throw new UsageError('--threads must be auto, 1 or 2');
      const threads = trainingThreads(threadChoice, info.name, h.attentionFunction);
      console.log(`threads: ${threads}`);
      if (h.attentionFunction !== 'dotProduct') console.log(`attention: ${h.attentionFunction}`);
      const train = threads === 2 ? trainFromTextParallel : trainFromText;
      const every = Math.max(1, Math.round(h.numEpochs / 20));
      const batchLine = new BatchProgressLine(process.stderr, progressSeconds);
      const trained = await train(text, h, {
        onBatch: (r) => batchLine.update(r),
        onEpoch: (r) => {
          batchLine.epochEnded(r.elapsedSeconds);
          if (r.epoch % every === 0 || r.epoch === r.numEpochs || r.epoch === 1) {
            console.log(
              `epoch ${r.epoch}/${r.numEpochs}  loss ${r.lossPerToken.toFixed(4)}  ` +
                `${Math.round(r.tokensPerSecond)} tokens/s  ${r.elapsedSeconds.toFixed(1)} s`,
            );
          }
        },
      });
      batchLine.clear();
      const seeds = translateSeeds(
        trained.model,
        trained.srcVocab,
        trained.tgtVocab,
        h.numSteps,
        positionMode,
      );
      for (const s of seeds)
        console.log(`${s.source} => ${s.translation}, bleu ${s.bleu.toFixed(3)}`);
      const s = trained.summary;
      await saveCheckpoint(out, trained.model, trained.srcVocab, trained.tgtVocab, h, {
        loss: s.lossPerToken,
        tokensPerSecond: s.tokensPerSecond,
        seconds: s.seconds,
        backend: info.name,
        seedBleu: seeds.map((x) => x.bleu),
      });
      console.log(`checkpoint: ${out}`);
      console.log(
        JSON.stringify({
          loss: s.lossPerToken,
          tokensPerSecond: s.tokensPerSecond,
          seconds: s.seconds,
          backend: info.name,
        }),
      );
      trained.model.dispose();
      return;
    }
    case 'translate': {
      const dir = required(values.model, '--model');
      const sentence = positionals.join(' ');
      if (!sentence.trim()) throw new UsageError('Give the sentence to translate');
      await selectBackend(backend);
      const ck = await loadCheckpoint(dir);
      const t = greedyTranslate(ck.model, ck.srcVocab, ck.tgtVocab, sentence, {
        numSteps: ck.hyperparameters.numSteps,
        positionMode,
      });
      console.log(t.translation);
      if (t.unknownTokens.length)
        console.log(`unknown words (<unk>): ${t.unknownTokens.join(' ')}`);
      const a = t.attention;
      console.log(
        `encoder self-attention (layer, head, query, key): ${gridShape(a.encoderSelf).join(' x ')}`,
      );
      console.log(
        `decoder self-attention (layer, head, query, key): ${gridShape(a.decoderSelf).join(' x ')}`,
      );
      console.log(
        `encoder-decoder attention (layer, head, query, key): ${gridShape(a.encoderDecoder).join(' x ')}`,
      );
      ck.model.dispose();
      return;
    }
    case 'eval': {
      const dir = required(values.model, '--model');
      const data = required(values.data, '--data');
      const from = nonNegativeInt(required(values.from, '--from'), '--from');
      const count = nonNegativeInt(required(values.count, '--count'), '--count');
      await selectBackend(backend);
      const ck = await loadCheckpoint(dir);
      const r = evaluateRange(
        ck.model,
        ck.srcVocab,
        ck.tgtVocab,
        readCorpusFile(data),
        from,
        count,
        ck.hyperparameters.numSteps,
        positionMode,
      );
      console.log(JSON.stringify(r));
      ck.model.dispose();
      return;
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}"` : 'No command given');
  }
}

class UsageError extends Error {}

/**
 * Batch progress on stderr while an epoch runs: one line every `seconds` (rewritten in place
 * when stderr is a terminal). Nothing for epochs shorter than that, so the book's small runs
 * print as before; 0 prints every batch but the last of each epoch (its epoch line follows).
 */
class BatchProgressLine {
  /** performance.now() of the last line printed or of the last epoch's end. */
  private last = performance.now();
  private epochStartSeconds = 0;
  private showing = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly seconds: number,
  ) {}

  update(r: BatchReport): void {
    if (r.done >= r.total) return;
    const now = performance.now();
    if (now - this.last < this.seconds * 1000) return;
    this.last = now;
    const epochSeconds = r.elapsedSeconds - this.epochStartSeconds;
    const rate = epochSeconds > 0 ? r.tokens / epochSeconds : 0;
    const left = (epochSeconds / r.done) * (r.total - r.done);
    const text =
      `batch ${r.done}/${r.total} of epoch ${r.epoch}/${r.numEpochs}  ` +
      `${Math.round(rate)} tokens/s  ${r.elapsedSeconds.toFixed(1)} s  ` +
      `epoch ends in ~${Math.round(left)} s`;
    if (this.out.isTTY) {
      this.out.write(`\r${text}\x1b[K`);
      this.showing = true;
    } else {
      this.out.write(`${text}\n`);
    }
  }

  epochEnded(elapsedSeconds: number): void {
    this.epochStartSeconds = elapsedSeconds;
    this.last = performance.now();
    this.clear();
  }

  /** Erases the in-place line, if one is showing, before other output. */
  clear(): void {
    if (!this.showing) return;
    this.out.write('\r\x1b[K');
    this.showing = false;
  }
}

function required(v: string | undefined, flag: string): string {
  if (v === undefined || v === '') throw new UsageError(`${flag} is required`);
  return v;
}

function nonNegativeInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${flag} must be a whole number >= 0 (got ${v})`);
  return n;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
});
