/**
 * Command line for the training core (no VS Code needed):
 *   node dist/cli.js train --data FILE [--examples 600 --epochs 200 ...] --out DIR
 *   node dist/cli.js translate --model DIR "sentence"
 *   node dist/cli.js eval --model DIR --data FILE --from N --count M
 */
import { selectBackend } from './backend/backend';
import { checkSaveTarget, loadCheckpoint, saveCheckpoint } from './checkpoint/checkpoint';
import {
  CLI_VERSION,
  USAGE,
  UsageError,
  choiceFlag,
  flag,
  hyperparametersFrom,
  nonNegativeInt,
  parseCliArgs,
  progressSeconds,
  required,
} from './cli/args';
import { BatchProgressLine, complain, say } from './cli/output';
import { examplesShortfall } from './config/hyperparameters';
import { readCorpusFile } from './data/corpus';
import { evaluateRange } from './decode/evaluate';
import { greedyTranslate } from './decode/greedy';
import { translateSeeds } from './decode/seedSentences';
import { gridShape } from './decode/attentionMaps';
import { trainFromText } from './train/experiment';
import { trainFromTextParallel } from './train/parallel';
import { trainingThreads } from './train/threads';

async function main(argv: string[]): Promise<void> {
  const args = parseCliArgs(argv);
  if (args.kind === 'help') return console.log(USAGE); // a constant: no line to escape
  if (args.kind === 'version') return say(CLI_VERSION);
  const { command, values, positionals } = args;
  const backend = choiceFlag(values, 'backend');
  const positionMode = choiceFlag(values, 'positionMode');

  switch (command) {
    case 'train': {
      const data = required(flag(values, 'data'), '--data');
      const out = required(flag(values, 'out'), '--out');
      const h = hyperparametersFrom(values);
      const progressSecondsValue = progressSeconds(values);
      const threadChoice = choiceFlag(values, 'trainingThreads');
      await checkSaveTarget(out); // --out is refused before training, not after it
      const info = await selectBackend(backend);
      say(`backend: ${info.label} (${info.reason})`);
      const text = readCorpusFile(data);
      const threads = trainingThreads(threadChoice, info.name, h.attentionFunction);
      say(`threads: ${threads}`);
      if (h.attentionFunction !== 'dotProduct') say(`attention: ${h.attentionFunction}`);
      const train = threads === 2 ? trainFromTextParallel : trainFromText;
      const every = Math.max(1, Math.round(h.numEpochs / 20));
      const batchLine = new BatchProgressLine(process.stderr, progressSecondsValue);
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
      const dir = required(flag(values, 'model'), '--model');
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
      const dir = required(flag(values, 'model'), '--model');
      const data = required(flag(values, 'data'), '--data');
      const from = nonNegativeInt(required(flag(values, 'from'), '--from'), '--from');
      const count = nonNegativeInt(required(flag(values, 'count'), '--count'), '--count');
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
    complain(`${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    complain(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
});
