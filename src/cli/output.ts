/**
 * What the command line writes. Sentences, translations, tokens, file names and error messages
 * come from the user's files and arguments: a control character in them must not reach the
 * terminal raw (ESC and C1 CSI start escape sequences that recolour, retitle or clear it, CR
 * overwrites a line, bidi overrides reorder what is shown), so all of it goes through
 * terminalSafe.
 */
import type { BatchReport } from '../train/loopTypes';

// C0 controls, DEL, C1 controls, the line and paragraph separators, and the bidi marks,
// embeddings, overrides and isolates (U+061C, U+200E-F, U+202A-E, U+2066-9).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control character written as an escape: \n, \x1b, \u202e… */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return (
      NAMED[c] ??
      (code < 0x100
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : `\\u${code.toString(16).padStart(4, '0')}`)
    );
  });
}

/** One line on stdout, escaped whole (no output line of the CLI has a line break of its own). */
export function say(line: string): void {
  console.log(terminalSafe(line));
}

/** A message on stderr: its own line breaks are kept, every other control character escaped. */
export function complain(message: string): void {
  console.error(message.split('\n').map(terminalSafe).join('\n'));
}

/**
 * Batch progress on stderr while an epoch runs: one line every `seconds` (rewritten in place
 * when stderr is a terminal). Nothing for epochs shorter than that, so the book's small runs
 * print as before; 0 prints every batch but the last of each epoch (its epoch line follows).
 */
export class BatchProgressLine {
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
