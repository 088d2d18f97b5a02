/**
 * The command line's help: the usage (every command on a line or two) and one page per command
 * (`train --help`, `help train`). The defaults shown are DEFAULT_HYPERPARAMETERS', so the help
 * cannot drift from what runs.
 */
import * as path from 'node:path';
import { DEFAULT_HYPERPARAMETERS } from '../config/hyperparameters';
import { DEFAULT_HELD_OUT_COUNT } from '../explore/heldOut';
import { choicesOf } from './args';
import { terminalSafe } from './output';

export const COMMANDS = ['train', 'translate', 'eval', 'heads'] as const;
export type CliCommand = (typeof COMMANDS)[number];

/** What the user typed to run us: `cli.js` (node dist/cli.js) or the `bin` name (npx). */
export function programName(script: string | undefined = process.argv[1]): string {
  return script ? terminalSafe(path.basename(script)) : 'cli.js';
}

export function usage(prog: string): string {
  const pad = ' '.repeat(prog.length);
  return `Usage:
  ${prog} train --data FILE --out DIR [--examples N] [--epochs N] [--layers N] [--hidden N]
  ${pad}       [--heads N] [--ffn N] [--dropout X] [--batch N] [--steps N] [--lr X] [--seed N]
  ${pad}       [--attention ${choicesOf('attentionFunction')}] [--backend ${choicesOf('backend')}] [--threads ${choicesOf('trainingThreads')}]
  ${pad}       [--progress SECONDS]  (batch progress on stderr inside long epochs; default 2)
  ${prog} translate --model DIR|FILE [--positions ${choicesOf('positionMode')}] [--backend ...]
  ${pad}           [--mask enc:1:2,cross:2:4] "sentence"  (--mask: those heads switched off)
  ${prog} eval --model DIR|FILE --data FILE --from N --count M [--backend ...]
  ${prog} heads --model DIR|FILE --data FILE [--count N] [--backend ...]
  ${prog} COMMAND --help  (or: ${prog} help COMMAND)  the options of one command
  ${prog} --help | -h      this text
  ${prog} --version | -V   the version
Exit status: 0 done, 1 failed, 2 a mistake in the arguments (the usage is printed).`;
}

const d = DEFAULT_HYPERPARAMETERS;

const RUNNING = `  --backend B          auto, gpu, wasm or cpu (default auto: tfjs-node-gpu if it is
                       installed and loads, else WebAssembly, else cpu; says why)
  --positions P        correct or book: the positional encoding of each decoding step
                       (book: position 0 at every step, as the book's code; default correct)`;

const PAGES: Record<CliCommand, (prog: string) => string> = {
  train: (prog) => `Usage: ${prog} train --data FILE --out DIR [options]

Trains the d2l.ai 10.7 Transformer (English to French) and saves the model in DIR.

  --data FILE          the corpus: the book's fra.txt (english<TAB>french lines) or fra-eng.zip
  --out DIR            folder for the trained model (created if missing)

The model and its training (defaults: the book's):
  --examples N         sentence pairs to train on, from the start of the corpus (${d.numExamples})
  --epochs N           passes over those pairs (${d.numEpochs})
  --layers N           encoder and decoder blocks (${d.numLayers})
  --hidden N           model width; even and divisible by --heads (${d.numHiddens})
  --heads N            attention heads per layer (${d.numHeads})
  --ffn N              hidden units of the position-wise feed-forward network (${d.ffnNumHiddens})
  --dropout X          dropout rate, at least 0 and below 1 (${d.dropout})
  --batch N            sentence pairs per mini-batch (${d.batchSize})
  --steps N            tokens per sequence: longer sentences are cut, shorter padded (${d.numSteps})
  --lr X               Adam's learning rate (${d.learningRate})
  --seed N             seed of the weights, shuffling and dropout: same seed, same run (${d.seed})
  --attention F        dotProduct (the book's) or additive (${d.attentionFunction})

Running it:
${RUNNING}
  --threads T          auto, 1 or 2 training threads on the WebAssembly backend (default auto:
                       two where there are two cores)
  --progress SECONDS   a batch progress line on stderr every SECONDS inside long epochs;
                       0 for none (default 2)

Prints the backend, the loss per epoch, the book's four seed sentences with their translation
and BLEU, and last a line of JSON: {"loss", "tokensPerSecond", "seconds", "backend"}.

Example:
  ${prog} train --data fra.txt --out model --epochs 50`,

  translate: (prog) => `Usage: ${prog} translate --model DIR|FILE [options] "sentence"

Translates an English sentence with a trained model and prints the translation, the words the
model has never seen (if any) and the shapes of its attention weights.

  --model DIR|FILE     a folder written by ${prog} train, or a model.pt / model.safetensors
                       (with model.json beside it) saved by the book's PyTorch code
  --mask HEADS         switch these heads off (their output zeroed before W_o; Michel et al.
                       2019) and translate with the rest: kind:layer:head, comma-separated,
                       layer and head counted from 1; kinds enc (encoder self-attention), dec
                       (decoder self-attention), cross (encoder-decoder attention). Prints the
                       heads that were off after the translation.
${RUNNING}

Examples:
  ${prog} translate --model model "I'm home."
  ${prog} translate --model model --mask enc:1:2,cross:2:4 "I'm home."`,

  eval: (prog) => `Usage: ${prog} eval --model DIR|FILE --data FILE --from N --count M [options]

Scores a trained model on corpus pairs N+1 to N+M (pairs it did not train on, when N is at
least its --examples) and prints a line of JSON: {"count", "meanBleu2", "corpusBleu4"}.

  --model DIR|FILE     a folder written by ${prog} train, or a model.pt / model.safetensors
                       (with model.json beside it) saved by the book's PyTorch code
  --data FILE          the corpus (fra.txt or fra-eng.zip)
  --from N             pairs to skip from the start
  --count M            pairs to score
${RUNNING}

Example:
  ${prog} eval --model model --data fra.txt --from 10000 --count 1000`,

  heads: (prog) => `Usage: ${prog} heads --model DIR|FILE --data FILE [--count N] [options]

Scores every attention head of a trained model on the N pairs after its training pairs
(Michel, Levy & Neubig 2019): the BLEU drop and loss increase when that head alone is switched
off, and the gradient score |xi * dL/dxi|; beside each, its attention statistics on the same
pairs (entropy, share on the same, previous and next token, <eos>, <bos>, punctuation) and a
label where one dominates; then the pruning curve (BLEU and loss with the k least important
heads off). Prints one line of JSON: {"count", "baseline", "heads": [{"kind", "layer", "head",
"bleuDrop", "lossIncrease", "gradient", "stats", "label"}], "pruning", "seconds", ...}; layers
and heads are 0-based there.

  --model DIR|FILE     a folder written by ${prog} train, or a model.pt / model.safetensors
  --data FILE          the corpus it trained on (fra.txt or fra-eng.zip)
  --count N            held-out pairs to score (default ${DEFAULT_HELD_OUT_COUNT})
  --progress SECONDS   a progress line on stderr every SECONDS; 0 for none (default 2)
${RUNNING}

Example:
  ${prog} heads --model model --data fra.txt --count 200`,
};

export function isCommand(name: string | undefined): name is CliCommand {
  return (COMMANDS as readonly string[]).includes(name ?? '');
}

/** The help page of a command. */
export function commandHelp(command: CliCommand, prog: string): string {
  return PAGES[command](prog);
}
