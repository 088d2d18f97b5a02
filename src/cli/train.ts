/**
 * `cli.js train`: the experiment (src/train/runExperiment.ts) with its events printed. Epoch
 * lines go to stdout (every epoch up to 20, else one in 20), batch progress inside long epochs to
 * stderr, then the seed sentences, the checkpoint's folder and the summary as one JSON line.
 */
import { examplesShortfall } from '../config/hyperparameters';
import type { RunSummaryLine } from '../shared/runRecord';
import { runExperiment } from '../train/runExperiment';
import {
  CliValues,
  choiceFlag,
  flag,
  hyperparametersFrom,
  progressSeconds,
  required,
} from './args';
import { BatchProgressLine, complain, say } from './output';

export async function trainCommand(values: CliValues): Promise<void> {
  const corpusPath = required(flag(values, 'data'), '--data');
  const checkpointDir = required(flag(values, 'out'), '--out');
  const hyperparameters = hyperparametersFrom(values);
  const h = hyperparameters;
  const seconds = progressSeconds(values);
  let batchLine: BatchProgressLine | undefined; // its clock starts with training
  const every = Math.max(1, Math.round(h.numEpochs / 20));
  const { metrics } = await runExperiment(
    {
      hyperparameters,
      backend: choiceFlag(values, 'backend'),
      corpusPath,
      checkpointDir, // refused before training, not after it
      threads: choiceFlag(values, 'trainingThreads'),
      positionMode: choiceFlag(values, 'positionMode'),
      heldOutCount: 0,
    },
    {
      backendSelected: (info) => say(`backend: ${info.label} (${info.reason})`),
      trainingStarts: (threads) => {
        say(`threads: ${threads}`);
        if (h.attentionFunction !== 'dotProduct') say(`attention: ${h.attentionFunction}`);
        batchLine = new BatchProgressLine(process.stderr, seconds);
      },
      prepared: ({ data }) => {
        const short = examplesShortfall(h.numExamples, data.src.rows, '--examples');
        if (short) complain(`warning: ${short}`);
      },
      batch: (r) => batchLine?.update(r),
      epoch: (r) => {
        batchLine?.epochEnded(r.elapsedSeconds);
        if (r.epoch % every === 0 || r.epoch === r.numEpochs || r.epoch === 1) {
          say(
            `epoch ${r.epoch}/${r.numEpochs}  loss ${r.lossPerToken.toFixed(4)}  ` +
              `${Math.round(r.tokensPerSecond)} tokens/s  ${r.elapsedSeconds.toFixed(1)} s`,
          );
        }
      },
    },
  );
  batchLine?.clear();
  if (!metrics) throw new Error('training stopped before it finished'); // no signal: cannot happen
  for (const s of metrics.seeds) say(`${s.source} => ${s.translation}, bleu ${s.bleu?.toFixed(3)}`);
  say(`checkpoint: ${checkpointDir}`);
  const { loss, tokensPerSecond, backend } = metrics;
  const summary: RunSummaryLine = { loss, tokensPerSecond, seconds: metrics.seconds, backend };
  say(JSON.stringify(summary));
}
