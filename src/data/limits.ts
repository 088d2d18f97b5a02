/**
 * Size limits on corpus input, downloaded or local, so that a hostile or mistaken input (a zip
 * bomb, an endless download, a multi-gigabyte file) is refused with a clear message instead of
 * exhausting memory or disk.
 *
 * The book's corpus is a 3.4 MB archive holding an 11.7 MB `fra.txt`; the limits leave about 20×
 * headroom for a larger pair file of one's own. The text limit also stays well below V8's
 * longest string (2^29 − 24 UTF-16 units, ~536 M): every byte becomes at most one unit, so any
 * text under the limit decodes into one string, and decoding never fails for its size.
 */
export interface CorpusLimits {
  /** Largest zip archive, downloaded or local. */
  maxArchiveBytes: number;
  /** Largest corpus text: a `.txt` file, or the zip entry after inflating. */
  maxTextBytes: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const CORPUS_LIMITS: Readonly<CorpusLimits> = {
  maxArchiveBytes: 64 * MiB,
  maxTextBytes: 256 * MiB,
};

/** The limits in force: the defaults, overridden by `limits` (tests pass small ones). */
export function corpusLimits(limits: Partial<CorpusLimits> = {}): CorpusLimits {
  return { ...CORPUS_LIMITS, ...limits };
}

export { formatBytes } from '../shared/formatBytes';
