/**
 * Shape checks of values that arrive from another frame, thread or file (a webview's message or
 * saved state, a run.json): plain predicates, no imports, so the webviews bundle them too.
 */

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isStr = (v: unknown): v is string => typeof v === 'string';

/**
 * Whether `v` is an array of at most `max` elements that all pass `ok`. The length is checked
 * before any element is read (rejecting a 10⁷-element array by walking it took 1 s), and the
 * holes of a sparse array are read as undefined, not skipped as some(), every() and map() do.
 */
export function isArrayOf(v: unknown, max: number, ok: (element: unknown) => boolean): boolean {
  if (!Array.isArray(v) || v.length > max) return false;
  for (let i = 0; i < v.length; i++) if (!ok(v[i])) return false;
  return true;
}
