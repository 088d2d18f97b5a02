/**
 * The webview's side of the channel to the extension host: acquireVsCodeApi once, typed posting
 * of WebviewToHost messages, typed state, and a listener that validates every host message.
 */
import type { HostToWebview, WebviewToHost } from '../../src/shared/protocol';
import { parseHostMessage } from '../../src/shared/validate';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

/** VS Code allows one acquireVsCodeApi() per page load: keep it. */
function vscode(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

export function post(message: WebviewToHost): void {
  vscode().postMessage(message);
}

/** The state saved by setState, or undefined (first load). */
export function getState<S>(): S | undefined {
  return (vscode().getState() as S | null | undefined) ?? undefined;
}

export function setState<S>(state: S): void {
  vscode().setState(state);
}

/**
 * The setter of a panel's state module: `update(fields)` changes those fields and saves, and
 * returns false (saving nothing) when they held these values already.
 */
export function updater<S extends object>(
  state: S,
  save: () => void,
): (fields: Partial<S>) => boolean {
  return (fields) => {
    const keys = Object.keys(fields) as (keyof S)[];
    if (keys.every((k) => state[k] === fields[k])) return false;
    Object.assign(state, fields);
    save();
    return true;
  };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ? `${err.message}\n${err.stack}` : err.message;
  return String(err);
}

/** Shows nothing; tells the host (which logs it) and the developer tools console. */
export function reportError(err: unknown, context?: string): void {
  const text = `${context ? `${context}: ` : ''}${describe(err)}`.slice(0, 10_000);
  console.error(text);
  try {
    post({ type: 'webviewError', message: text });
  } catch {
    // No channel to the host: nothing more to do.
  }
}

/** Reports uncaught errors and rejected promises of the page. */
export function installErrorReporting(): void {
  window.addEventListener('error', (e) => {
    // Benign: a ResizeObserver callback changed layout; the browser delivers the rest next frame.
    if (/^ResizeObserver loop/.test(e.message)) return;
    reportError(e.error ?? e.message, 'uncaught error');
  });
  window.addEventListener('unhandledrejection', (e) =>
    reportError(e.reason, 'unhandled rejection'),
  );
}

/**
 * Calls `handler` with each valid host message, one at a time (a handler that returns a promise
 * finishes before the next message is handled, so an epoch never overtakes a full render).
 * Invalid messages are dropped and reported.
 */
export function onHostMessage(handler: (message: HostToWebview) => void | Promise<void>): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const parsed = parseHostMessage(event.data);
    if (!parsed.ok) {
      reportError(parsed.error, 'ignored an invalid message from the extension');
      return;
    }
    enqueue(() => handler(parsed.message), `while handling "${parsed.message.type}"`);
  });
}

let queue: Promise<void> = Promise.resolve();

/**
 * Runs `task` after every task queued before it (host messages, restores, theme changes, UI
 * events that re-render): charts are never embedded twice at once. Errors are reported.
 */
export function enqueue(task: () => void | Promise<void>, context: string): Promise<void> {
  queue = queue.then(task).catch((err) => reportError(err, context));
  return queue;
}

/**
 * `task` queued at most once at a time: calls while it waits in the queue are folded into it
 * (a slider dragged over ten snapshots draws the latest one, not all ten).
 */
export function coalesced(task: () => void | Promise<void>, context: string): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    void enqueue(async () => {
      queued = false;
      await task();
    }, context);
  };
}
