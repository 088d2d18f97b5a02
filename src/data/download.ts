/**
 * Streaming an HTTP(S) download to a file with node's `http`/`https`: follows redirects,
 * hashes (SHA-1) while writing, reports progress, checks `Content-Length`, honours an
 * `AbortSignal`, an inactivity timeout, an overall deadline and a size limit. The caller owns
 * (and removes) the destination file.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatBytes } from './limits';

/** `received` bytes so far; `total` from `Content-Length`, `undefined` when not sent. */
export type ProgressCallback = (received: number, total: number | undefined) => void;

export interface FetchOptions {
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Fail when the server sends nothing for this long (connect, headers or body). */
  timeoutMs?: number;
  /**
   * Fail when the whole download (redirects included) takes longer than this: a server that
   * drips a byte a second never trips the inactivity timeout.
   */
  deadlineMs?: number;
  /** Refuse a body larger than this: by its `Content-Length`, or once more has arrived. */
  maxBytes?: number;
  /** Redirects (301, 302, 303, 307, 308) followed before giving up. */
  maxRedirects?: number;
}

export interface FetchResult {
  bytes: number;
  /** Lower-case hex SHA-1 of the body. */
  sha1: string;
  /** The URL the body came from, after redirects. */
  finalUrl: string;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** 10 minutes: the book's 3.4 MB archive at 6 KB/s, or a 64 MB one at 110 KB/s. */
export const DEFAULT_DEADLINE_MS = 10 * 60_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The request and response in flight, so that an abort or a timeout can stop both. */
class Transfer {
  reason?: Error;
  req?: http.ClientRequest;
  res?: http.IncomingMessage;
  received = 0;
  total?: number;

  stop(reason: Error): void {
    this.reason ??= reason;
    this.req?.destroy(this.reason);
    this.res?.destroy(this.reason);
  }

  /** "received 1.2 MB of 3.4 MB", for messages. */
  progress(): string {
    const of = this.total === undefined ? '' : ` of ${formatBytes(this.total)}`;
    return `received ${formatBytes(this.received)}${of}`;
  }
}

/**
 * Downloads `url` into `dest` (created with `wx`: it must not exist). Rejects with a descriptive
 * error on an HTTP status other than 200, a network error, a timeout, the deadline, an abort,
 * too many redirects, a body over `maxBytes`, or a body shorter or longer than its
 * `Content-Length`. On rejection `dest` may exist (partially written, already closed); the
 * caller removes it.
 */
export async function fetchToFile(
  url: string,
  dest: string,
  options: FetchOptions = {},
): Promise<FetchResult> {
  const { signal, deadlineMs = DEFAULT_DEADLINE_MS } = options;
  if (signal?.aborted) throw new Error(`download of ${url} aborted`);
  const transfer = new Transfer();
  const onAbort = (): void => transfer.stop(new Error(`download of ${url} aborted`));
  signal?.addEventListener('abort', onAbort, { once: true });
  const deadline = setTimeout(() => {
    const within = formatDuration(deadlineMs);
    transfer.stop(
      new Error(`download of ${url} did not finish within ${within} (${transfer.progress()})`),
    );
  }, deadlineMs);
  try {
    return await follow(url, dest, transfer, options);
  } finally {
    clearTimeout(deadline);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Requests `url`, following redirects, and saves the final 200 response's body. */
async function follow(
  url: string,
  dest: string,
  transfer: Transfer,
  options: FetchOptions,
): Promise<FetchResult> {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, maxRedirects = 5 } = options;
  let current = new URL(url);
  for (let redirects = 0; ; redirects++) {
    const res = await openResponse(current, transfer, timeoutMs);
    const status = res.statusCode ?? 0;
    if (REDIRECT_STATUSES.has(status)) {
      res.destroy();
      const location = res.headers.location;
      if (!location) throw new Error(`HTTP ${status} redirect from ${current} has no Location`);
      if (redirects >= maxRedirects) {
        throw new Error(`too many redirects (more than ${maxRedirects}) downloading ${url}`);
      }
      current = new URL(location, current);
      continue;
    }
    if (status !== 200) {
      res.destroy();
      const text = res.statusMessage ? ` ${res.statusMessage}` : '';
      throw new Error(`download of ${current} failed: HTTP status ${status}${text}`);
    }
    const body = await saveBody(res, dest, transfer, current, options);
    return { ...body, finalUrl: current.toString() };
  }
}

function openResponse(
  url: URL,
  transfer: Transfer,
  timeoutMs: number,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (transfer.reason) return reject(transfer.reason);
    const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
    if (!client) return reject(new Error(`unsupported URL protocol ${url.protocol} in ${url}`));
    const req = client.get(url, (res) => {
      transfer.res = res;
      resolve(res);
    });
    transfer.req = req;
    transfer.res = undefined;
    req.setTimeout(timeoutMs, () =>
      transfer.stop(new Error(`download of ${url} timed out (no data for ${timeoutMs} ms)`)),
    );
    req.on('error', (err) =>
      reject(transfer.reason ?? new Error(`download of ${url} failed: ${err.message}`)),
    );
  });
}

async function saveBody(
  res: http.IncomingMessage,
  dest: string,
  transfer: Transfer,
  url: URL,
  options: FetchOptions,
): Promise<Omit<FetchResult, 'finalUrl'>> {
  const { onProgress, maxBytes = Infinity } = options;
  const header = res.headers['content-length'];
  const total = header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
  transfer.total = total;
  if (total !== undefined && total > maxBytes) {
    res.destroy();
    throw new Error(
      `download of ${url} is ${formatBytes(total)} (Content-Length), ` +
        `over the ${formatBytes(maxBytes)} download limit`,
    );
  }
  const tooLarge = (): Error =>
    new Error(
      `download of ${url} is larger than the ${formatBytes(maxBytes)} download limit ` +
        '(stopped there; the server sent no Content-Length)',
    );
  const hash = createHash('sha1');
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      transfer.received += chunk.length;
      if (transfer.received > maxBytes) return callback(tooLarge());
      hash.update(chunk);
      try {
        onProgress?.(transfer.received, total);
      } catch (err) {
        return callback(err as Error);
      }
      callback(null, chunk);
    },
  });
  const out = fs.createWriteStream(dest, { flags: 'wx' });
  const truncated = (): Error =>
    new Error(`download of ${url} truncated: received ${transfer.received} of ${total} bytes`);
  try {
    await pipeline(res, meter, out);
  } catch (err) {
    await closed(out);
    if (transfer.reason) throw transfer.reason;
    if (transfer.received > maxBytes) throw err;
    if (total !== undefined && transfer.received < total) throw truncated();
    throw new Error(`download of ${url} failed: ${(err as Error).message}`, { cause: err });
  }
  if (total !== undefined && transfer.received !== total) throw truncated();
  return { bytes: transfer.received, sha1: hash.digest('hex') };
}

/** Resolves once `stream` has released its file (so that the file can be removed safely). */
function closed(stream: fs.WriteStream): Promise<void> {
  return new Promise((resolve) => (stream.closed ? resolve() : stream.once('close', resolve)));
}

/** "300 ms", "45 s", "10 min". */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return ms < 120_000
    ? `${Number((ms / 1000).toFixed(1))} s`
    : `${Number((ms / 60_000).toFixed(1))} min`;
}
