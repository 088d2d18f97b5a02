/**
 * `npm run bench -- --explore`'s report: the clicks (host round trip, the worker's share, the
 * webview's share from the harness, the total against 50 ms), head importance against 30 s,
 * the load average, and one JSON line last.
 */
import { cpus, loadavg } from 'node:os';
import type { Click, Importance, Trained } from './exploreWorker';
import { fmt, loadText } from './table';
import { percentile } from './tsRun';

const CLICK_GOAL_MS = 50;
const IMPORTANCE_GOAL_S = 30;

/** The webview's medians (test/webview/flows/maskTiming.flow.ts), or why there are none. */
export type Webview = { timings: Record<string, number> } | { skipped: string };

export interface Measured {
  trained: Trained | null;
  firstMs: number;
  /** Every click, the `warmUp` first ones not counted. */
  clicks: Click[];
  warmUp: number;
  heads: Importance;
  webview: Webview;
  loadBefore: number[];
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: percentile(s, 50), p95: percentile(s, 95) };
};

function verdict(value: number, goal: number, unit: string): string {
  return value <= goal
    ? `goal <= ${goal} ${unit}: met`
    : `goal <= ${goal} ${unit}: MISSED by ${fmt(value - goal)} ${unit} (${fmt(value / goal, 2)}x)`;
}

const ms = (s: { median: number; p95: number }) =>
  `median ${fmt(s.median)} ms, p95 ${fmt(s.p95)} ms`;

/** The clicks' lines; the click-to-translation total (host median + webview median). */
function clicksReport(m: Measured) {
  const measured = m.clicks.slice(m.warmUp);
  const roundTrip = stats(measured.map((c) => c.roundTripMs));
  const worker = stats(measured.map((c) => c.workerMs));
  const messaging = stats(measured.map((c) => c.roundTripMs - c.workerMs));
  const plain = stats(measured.map((c) => c.plainMs));
  console.log(`\nfirst translation (worker start, backend, model load): ${fmt(m.firstMs, 0)} ms`);
  console.log(`first masked click (cold): ${fmt(m.clicks[0].roundTripMs)} ms`);
  console.log(
    `masked re-translation, host round trip, ${measured.length} clicks: ${ms(roundTrip)}`,
  );
  console.log(`  in the worker (translateMasked): ${ms(worker)}`);
  console.log(`  outside translateMasked (messages, model check, copies): ${ms(messaging)}`);
  console.log(`  a plain translate request of the same sentence: ${ms(plain)}`);
  const webviewMs = 'skipped' in m.webview ? null : m.webview.timings.maskWebviewSideMs;
  if ('skipped' in m.webview) console.log(`webview side: not measured (${m.webview.skipped})`);
  else {
    const w = m.webview.timings;
    console.log(
      `webview side (from harness, ${w.maskClicks} clicks in Chromium): click -> posted ` +
        `${fmt(w.maskClickToPostMs)} ms, answer -> shown ${fmt(w.maskAnswerToShownMs)} ms ` +
        `(the click's handler with its redraw: ${fmt(w.maskClickHandlerMs)} ms)`,
    );
  }
  const totalMs = roundTrip.median + (webviewMs ?? 0);
  console.log(
    `click -> new translation, median: ${fmt(totalMs)} ms (host ${fmt(roundTrip.median)}` +
      `${webviewMs === null ? '' : ` + webview ${fmt(webviewMs)}`}); ` +
      verdict(totalMs, CLICK_GOAL_MS, 'ms'),
  );
  const webview = m.webview;
  return { count: measured.length, roundTrip, worker, messaging, plain, webview, totalMs };
}

export function report(m: Measured): void {
  const clicks = clicksReport(m);
  const h = m.heads;
  console.log(
    `head importance over ${h.pairs} held-out pairs (${h.heads} heads): ${fmt(h.wallSeconds)} s ` +
      `wall (${fmt(h.workerSeconds)} s scoring in the worker), ${h.progressMessages} progress ` +
      `messages, the first after ${fmt(h.firstProgressSeconds)} s, longest gap ` +
      `${fmt(h.longestProgressGapSeconds)} s; ${verdict(h.wallSeconds, IMPORTANCE_GOAL_S, 's')}`,
  );
  const loadAfter = loadavg();
  const cores = cpus().length;
  console.log(`before: ${loadText(m.loadBefore, cores)}; after: ${loadText(loadAfter, cores)}`);
  console.log(
    JSON.stringify({
      mode: 'explore',
      trained: m.trained,
      firstTranslationMs: m.firstMs,
      clicks: { ...clicks, goalMs: CLICK_GOAL_MS, ok: clicks.totalMs <= CLICK_GOAL_MS },
      headImportance: {
        ...h,
        goalSeconds: IMPORTANCE_GOAL_S,
        ok: h.wallSeconds <= IMPORTANCE_GOAL_S,
      },
      loadBefore: m.loadBefore,
      loadAfter,
    }),
  );
}
