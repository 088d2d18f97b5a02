#!/usr/bin/env node
/**
 * Command line for the training core (no VS Code needed):
 *   node dist/cli.js train --data FILE [--examples 600 --epochs 200 ...] --out DIR
 *   node dist/cli.js translate --model DIR "sentence"
 *   node dist/cli.js eval --model DIR --data FILE --from N --count M
 */
import { BACKEND_CHOICES, BackendChoice, selectBackend } from './backend/backend';
import { checkSaveTarget, loadCheckpoint, saveCheckpoint } from './checkpoint/checkpoint';
import { CLI_VERSION, FLAGS, UsageError, nonNegativeInt, parseCliArgs, required } from './cli/args';
import { commandHelp, isCommand, programName, usage } from './cli/help';
import { BatchProgressLine, complain, say } from './cli/output';
import {
  ATTENTION_FUNCTIONS,
  DEFAULT_HYPERPARAMETERS,
  examplesShortfall,
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

async function main(argv: string[]): Promise<void> {
  const args = parseCliArgs(argv);
  if (args.kind === 'help') {
    const { command } = args;
    if (command !== undefined && !isCommand(command))
      throw new UsageError(`No help for "${command}": there is no such command`);
    // Constant texts and the script's own file name (escaped by programName).
    return console.log(command ? commandHelp(command, programName()) : usage(programName()));
  }
  if (args.kind === 'version') return say(CLI_VERSION);
  const { command, values, positionals } = args;
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
        const v = values[flag as keyof typeof FLAGS];
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
      say(`backend: ${info.label} (${info.reason})`);
      const text = readCorpusFile(data);
      const threadChoice = values.threads as 'auto' | '1' | '2';
      if (!['auto', '1', '2'].includes(threadChoice))
        throw new UsageError('--threads must be auto, 1 or 2');
      const threads = trainingThreads(threadChoice, info.name);
      say(`threads: ${threads}`);
      if (h.attentionFunction !== 'dotProduct') say(`attention: ${h.attentionFunction}`);
      const train = threads === 2 ? trainFromTextParallel : trainFromText;
      const every = Math.max(1, Math.round(h.numEpochs / 20));
      const batchLine = new BatchProgressLine(process.stderr, progressSeconds);
      const trained = await train(text, h, {
        onPrepared: ({ data }) => {
          const short = examplesShortfall(h.numExamples, data.src.rows, '--examples');
          if (short) complain(`warning: ${short}`);
        },
        onBatch: (r) => batchLine.update(r),
        onEpoch: (r) => {
          batchLine.epochEnded(r.elapsedSeconds);
          if (r.epoch % every === 0 || r.epoch === r.numEpochs || r.epoch === 1) {
            say(
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
      for (const s of seeds) say(`${s.source} => ${s.translation}, bleu ${s.bleu.toFixed(3)}`);
      const s = trained.summary;
      await saveCheckpoint(out, trained.model, trained.srcVocab, trained.tgtVocab, h, {
        loss: s.lossPerToken,
        tokensPerSecond: s.tokensPerSecond,
        seconds: s.seconds,
        backend: info.name,
        seedBleu: seeds.map((x) => x.bleu),
        pairs: trained.pairs,
      });
      say(`checkpoint: ${out}`);
      say(
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
      say(t.translation);
      if (t.unknownTokens.length) say(`unknown words (<unk>): ${t.unknownTokens.join(' ')}`);
      const a = t.attention;
      say(
        `encoder self-attention (layer, head, query, key): ${gridShape(a.encoderSelf).join(' x ')}`,
      );
      say(
        `decoder self-attention (layer, head, query, key): ${gridShape(a.decoderSelf).join(' x ')}`,
      );
      say(
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
      say(JSON.stringify(r));
      ck.model.dispose();
      return;
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}"` : 'No command given');
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    complain(`${err.message}\n\n${usage(programName())}`);
    process.exitCode = 2;
  } else {
    complain(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
});
