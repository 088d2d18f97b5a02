/**
 * The Tatoeba English–French corpus of d2l.ai (`fra-eng.zip`): download into a cache with
 * checksum verification, or read a local `.txt` / `.zip`, within the size limits of `limits.ts`.
 *
 * Cache layout: `<cacheDir>/fra-eng/fra.txt` and `<cacheDir>/fra-eng/corpus.json` (the marker,
 * which records the text's SHA-1). Downloads go to a temporary file in `<cacheDir>`; the cached
 * files are replaced only after the archive's SHA-1, its size, its `fra-eng/fra.txt` entry and
 * the text have all been checked, so a failed download leaves nothing behind and keeps the
 * previous cache as it was.
 */
import { isUtf8 } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fetchToFile, ProgressCallback } from './download';
import { corpusLimits, CorpusLimits, formatBytes } from './limits';
import { removeLeftovers } from './leftovers';
import { iterateLines } from './tokenize';
import { extractCorpusEntry, FRA_ENG_ENTRY } from './zip';

export { FRA_ENG_ENTRY };
export type { CorpusLimits };

/** Where the book downloads the corpus from (`d2l.DATA_HUB['fra-eng']`). */
export const FRA_ENG_URL = 'http://d2l-data.s3-accelerate.amazonaws.com/fra-eng.zip';
/** SHA-1 of that archive, as listed in the book. */
export const FRA_ENG_SHA1 = '94646ad1522d915e7b0f9296181140edcf86a4f5';

/** Folder inside the cache directory and the files in it. */
const CACHE_SUBDIR = 'fra-eng';
const TEXT_FILE = 'fra.txt';
const MARKER_FILE = 'corpus.json';

export interface DownloadOptions {
  url: string;
  /** Expected SHA-1 (hex) of the downloaded archive. */
  sha1: string;
  cacheDir: string;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Inactivity timeout (see `fetchToFile`). */
  timeoutMs?: number;
  /** Overall deadline of the download (see `fetchToFile`). */
  deadlineMs?: number;
  /** Size limits; `CORPUS_LIMITS` where not given. */
  limits?: Partial<CorpusLimits>;
}

/** Contents of the cache marker. */
interface CacheMarker {
  url: string;
  sha1: string;
  zipBytes: number;
  textBytes: number;
  textSha1: string;
  downloadedAt: string;
}

/** Names of a download's temporary files, with the writer's pid (see leftovers.ts). */
const PART_FILE = /^\.fra-eng-(\d+)-[0-9a-f]{12}\.zip\.part$/;
const TEMP_FILE = /^(?:fra\.txt|corpus\.json)\.(\d+)-[0-9a-f]{12}\.tmp$/;

/** Where the corpus comes from. */
export type CorpusSource =
  { kind: 'url'; url: string; sha1: string } | { kind: 'file'; path: string };

/**
 * Returns the path of the cached `fra.txt`, downloading and unpacking the archive first unless
 * a valid copy for `sha1` is already cached (then no request is made). Throws with a message
 * naming the cause (HTTP status, expected and actual SHA-1, size limit, truncation, abort,
 * timeout, deadline, bad zip, not UTF-8); on failure the cache is as it was before.
 */
export async function downloadCorpus(options: DownloadOptions): Promise<string> {
  const { url, cacheDir } = options;
  const sha1 = options.sha1.toLowerCase();
  const limits = corpusLimits(options.limits);
  const dir = path.join(cacheDir, CACHE_SUBDIR);
  removeLeftovers(cacheDir, PART_FILE);
  removeLeftovers(dir, TEMP_FILE);
  if (isCached(dir, sha1)) return path.join(dir, TEXT_FILE);
  fs.mkdirSync(cacheDir, { recursive: true });
  const tag = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const zipTemp = path.join(cacheDir, `.fra-eng-${tag}.zip.part`);
  try {
    const fetched = await fetchToFile(url, zipTemp, {
      ...options,
      maxBytes: limits.maxArchiveBytes,
    });
    if (fetched.sha1 !== sha1) {
      throw new Error(
        `checksum mismatch for ${url}: expected sha1 ${sha1}, got ${fetched.sha1} ` +
          `(${fetched.bytes} bytes)`,
      );
    }
    const text = unzipCorpus(fs.readFileSync(zipTemp), url, true, limits.maxTextBytes);
    decodeCorpus(text, `${url} (${FRA_ENG_ENTRY})`);
    const marker: CacheMarker = {
      url,
      sha1,
      zipBytes: fetched.bytes,
      textBytes: text.length,
      textSha1: sha1Hex(text),
      downloadedAt: new Date().toISOString(),
    };
    return installCache(dir, text, marker, tag);
  } finally {
    fs.rmSync(zipTemp, { force: true });
  }
}

/**
 * The text of a local corpus file: a `.txt` with one `english\tfrench` pair per line, or a
 * `.zip` holding `fra-eng/fra.txt` (or a single `fra.txt` / `*.txt` entry). Throws a clear error
 * for a missing, empty, oversized, non-UTF-8 or pair-less file; the size is checked before the
 * file is read. See `decodeCorpus` for the decoding.
 */
export function readCorpusFile(file: string, limits: Partial<CorpusLimits> = {}): string {
  const { maxArchiveBytes, maxTextBytes } = corpusLimits(limits);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new Error(`corpus file not found: ${file}`);
  }
  if (!stat.isFile()) throw new Error(`corpus path is not a file: ${file}`);
  if (stat.size === 0) throw new Error(`corpus file is empty: ${file}`);
  const zip = file.toLowerCase().endsWith('.zip') || startsLikeZip(file);
  const [limit, what] = zip ? [maxArchiveBytes, 'a corpus archive'] : [maxTextBytes, 'corpus text'];
  if (stat.size > limit) {
    throw new Error(
      `corpus file ${file} is ${formatBytes(stat.size)}, over the ${formatBytes(limit)} limit ` +
        `for ${what}`,
    );
  }
  const bytes = fs.readFileSync(file);
  return decodeCorpus(zip ? unzipCorpus(bytes, file, false, maxTextBytes) : bytes, file);
}

/** The corpus entry of `zip` (see `extractCorpusEntry`), naming `where` in any error. */
function unzipCorpus(
  zip: Uint8Array,
  where: string,
  strict: boolean,
  maxBytes: number,
): Uint8Array {
  try {
    return extractCorpusEntry(zip, strict, maxBytes);
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Decodes corpus bytes as UTF-8 the way the book's `open(..., 'r').read()` does with universal
 * newlines (`\r\n` and `\r` become `\n`); a leading byte-order mark is dropped. Throws when the
 * text is empty, not UTF-8, or has no line that splits into exactly two fields on a tab (the
 * book's tokenizer would find no pairs, e.g. in the newer three-column Tatoeba files).
 */
export function decodeCorpus(bytes: Uint8Array, where: string): string {
  if (!isUtf8(bytes)) {
    const line = firstNonUtf8Line(bytes);
    throw new Error(`corpus ${where} is not valid UTF-8 text (first invalid byte on line ${line})`);
  }
  let text: string;
  try {
    // Valid UTF-8 under the text limit always fits in a string; this only fails for text far
    // beyond it (a caller that skipped the limit), and then says why.
    text = new TextDecoder('utf-8').decode(bytes);
  } catch (err) {
    throw new Error(`corpus ${where} could not be decoded: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw new Error(`corpus ${where} is empty`);
  if (!hasPair(text)) {
    throw new Error(
      `corpus ${where} has no tab-separated sentence pairs ` +
        '(expected lines of the form "english<TAB>french" with exactly one tab)',
    );
  }
  return text;
}

/** Downloads (with cache) or reads the corpus and returns its text. */
export async function resolveCorpus(
  source: CorpusSource,
  cacheDir: string,
  onProgress?: ProgressCallback,
  signal?: AbortSignal,
): Promise<string> {
  if (source.kind === 'file') return readCorpusFile(source.path);
  const file = await downloadCorpus({
    url: source.url,
    sha1: source.sha1,
    cacheDir,
    onProgress,
    signal,
  });
  return readCorpusFile(file);
}

/** True when `dir` holds a complete download of the archive with SHA-1 `sha1`. */
function isCached(dir: string, sha1: string): boolean {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER_FILE), 'utf8')) as CacheMarker;
    if (marker.sha1 !== sha1) return false;
    const text = fs.readFileSync(path.join(dir, TEXT_FILE));
    return text.length === marker.textBytes && sha1Hex(text) === marker.textSha1;
  } catch {
    return false;
  }
}

/**
 * Puts checked text and its marker into the cache folder `dir`, over any previous pair. Both are
 * written to temporary siblings first (a full disk fails here, old cache intact), then each is
 * renamed into place. Each rename is atomic; a crash between the two leaves text and marker
 * that disagree on the text's SHA-1, which `isCached` rejects (and the next call downloads
 * again): a mixed pair is never used. No fsync for the same reason: a torn file fails the check.
 */
function installCache(dir: string, text: Uint8Array, marker: CacheMarker, tag: string): string {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) fs.rmSync(dir, { force: true });
  fs.mkdirSync(dir, { recursive: true });
  const textPath = path.join(dir, TEXT_FILE);
  const markerPath = path.join(dir, MARKER_FILE);
  const textTemp = `${textPath}.${tag}.tmp`;
  const markerTemp = `${markerPath}.${tag}.tmp`;
  try {
    fs.writeFileSync(textTemp, text);
    fs.writeFileSync(markerTemp, JSON.stringify(marker, null, 2) + '\n');
    fs.renameSync(textTemp, textPath);
    fs.renameSync(markerTemp, markerPath);
    return textPath;
  } finally {
    fs.rmSync(textTemp, { force: true });
    fs.rmSync(markerTemp, { force: true });
  }
}

/**
 * The 1-based line of the first byte sequence that is not UTF-8. Lines are checked one by one:
 * a newline byte never occurs inside a multi-byte UTF-8 sequence.
 */
function firstNonUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  for (let start = 0; start < bytes.length; line++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    if (!isUtf8(bytes.subarray(start, end))) return line;
    start = end + 1;
  }
  return line;
}

/** True when some line splits into exactly two fields on a tab (a pair for `tokenizeNmt`). */
function hasPair(text: string): boolean {
  for (const line of iterateLines(text)) {
    if (line.split('\t').length === 2) return true;
  }
  return false;
}

function sha1Hex(data: Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}

/** True when `file` starts with a zip local-file signature (`PK\x03\x04`). */
function startsLikeZip(file: string): boolean {
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  return head.readUInt32LE(0) === 0x04034b50;
}
