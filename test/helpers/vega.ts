/**
 * Vega-Lite specs as the spec tests check them: each must compile with vega-lite without a
 * warning and run in vega's headless View without one. vega and vega-lite are ES modules with
 * top-level await: require() cannot load them, so they are imported dynamically (a non-literal
 * specifier keeps TypeScript from resolving their types under this project's node10 module
 * resolution).
 */
import { strict as assert } from 'node:assert';

export interface Logger {
  level(): number;
  level(n: number): Logger;
  error(...a: unknown[]): Logger;
  warn(...a: unknown[]): Logger;
  info(...a: unknown[]): Logger;
  debug(...a: unknown[]): Logger;
}

export interface VegaView {
  runAsync(): Promise<VegaView>;
  data(name: string): Record<string, unknown>[];
  insert(name: string, rows: unknown[]): VegaView;
  scale(name: string): { domain(): unknown[]; range(): unknown[] };
  toSVG(): Promise<string>;
  finalize(): void;
}

interface VegaLiteModule {
  compile(spec: unknown, opt?: { logger?: Logger }): { spec: { data?: { name: string }[] } };
}

interface VegaModule {
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, opt: { renderer: string; logger?: Logger }) => VegaView;
}

export const load = <T>(specifier: string): Promise<T> => import(specifier) as Promise<T>;

/** A logger that records warnings and errors (vega-lite and vega both take one). */
function recorder(): { logger: Logger; messages: string[] } {
  const messages: string[] = [];
  let lvl = 2;
  const logger: Logger = {
    level: ((n?: number) => {
      if (n === undefined) return lvl;
      lvl = n;
      return logger;
    }) as Logger['level'],
    error: (...a) => (messages.push(`ERROR ${a.join(' ')}`), logger),
    warn: (...a) => (messages.push(`WARN ${a.join(' ')}`), logger),
    info: () => logger,
    debug: () => logger,
  };
  return { logger, messages };
}

/**
 * Compiles with vega-lite (no warnings allowed), runs in a headless View (no warnings except
 * `allowed` ones: a `width: 'container'` chart listens to window resizes, and Node has no window).
 * The caller finalizes the view.
 */
export async function compileAndRun(
  spec: unknown,
  allowed: RegExp[] = [],
): Promise<{ view: VegaView; dataNames: string[] }> {
  const [vl, vega] = await Promise.all([
    load<VegaLiteModule>('vega-lite'),
    load<VegaModule>('vega'),
  ]);
  const compileLog = recorder();
  const compiled = vl.compile(spec, { logger: compileLog.logger });
  assert.deepEqual(compileLog.messages, [], 'vega-lite compile warnings');
  const viewLog = recorder();
  const view = new vega.View(vega.parse(compiled.spec), {
    renderer: 'none',
    logger: viewLog.logger,
  });
  await view.runAsync();
  assert.deepEqual(
    viewLog.messages.filter((m) => !allowed.some((re) => re.test(m))),
    [],
    'vega runtime warnings',
  );
  return { view, dataNames: (compiled.spec.data ?? []).map((d) => d.name) };
}

/** The warning a `width: 'container'` chart gives in Node (no window to listen to). */
export const NO_WINDOW = /event source: window/;
