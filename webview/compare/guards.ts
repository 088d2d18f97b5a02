/**
 * Shape checks of the Compare Runs panel's host messages, beyond the envelope that
 * parseHostMessage checks: every field the panel indexes into. A message that fails is ignored
 * (and reported) instead of breaking the panel half way through a render. Pure.
 */
import { LIMITS } from '../../src/config/hyperparameters';
import type {
  CompareAttentionResultMessage,
  RunRecord,
  RunsStateMessage,
} from '../../src/shared/protocol';
import { isArrayOf } from '../../src/shared/validate';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isArr = Array.isArray;

const HYPER_NUMBERS = ['numLayers', 'numHiddens', 'numHeads', 'numEpochs', 'numExamples'];

/**
 * Bounds checked before an array is walked (the message may be the panel's saved state, which
 * the webview wrote): one point per epoch, a few seed sentences, the two sides of a comparison,
 * and more runs than years of training would leave.
 */
const MAX_POINTS = LIMITS.numEpochs.max;
const MAX_SEEDS = 100;
const MAX_SIDES = 2;
const MAX_RUNS = 10_000;

/** Why the run cannot be shown, or null when it can. */
export function runProblem(raw: unknown): string | null {
  if (!isObj(raw)) return 'not an object';
  if (!isStr(raw.id) || !raw.id) return 'no id';
  if (!isNum(raw.number)) return `${raw.id}: no number`;
  if (!isStr(raw.createdAt)) return `${raw.id}: no createdAt`;
  if (!isStr(raw.status)) return `${raw.id}: no status`;
  const h = raw.hyperparameters;
  if (!isObj(h) || HYPER_NUMBERS.some((k) => !isNum(h[k]))) return `${raw.id}: bad hyperparameters`;
  if (!isArrayOf(raw.points, MAX_POINTS, (p) => isObj(p) && isNum(p.epoch))) {
    return `${raw.id}: bad points`;
  }
  if (!isArrayOf(raw.seeds, MAX_SEEDS, (s) => isObj(s) && isStr(s.source))) {
    return `${raw.id}: bad seeds`;
  }
  if (raw.backend !== null && raw.backend !== undefined && !isObj(raw.backend)) {
    return `${raw.id}: bad backend`;
  }
  if (raw.summary !== null && raw.summary !== undefined && !isObj(raw.summary)) {
    return `${raw.id}: bad summary`;
  }
  if (raw.heldOut !== null && raw.heldOut !== undefined && !isObj(raw.heldOut)) {
    return `${raw.id}: bad heldOut`;
  }
  return null;
}

export function runsStateProblem(m: RunsStateMessage): string | null {
  const raw = m as unknown as Obj;
  if (!isArr(raw.runs) || raw.runs.length > MAX_RUNS) {
    return `runs must be an array of at most ${MAX_RUNS}`;
  }
  for (const run of raw.runs) {
    const problem = runProblem(run);
    if (problem) return `run ${problem}`;
  }
  const ids = (raw.runs as RunRecord[]).map((r) => r.id);
  if (new Set(ids).size !== ids.length) return 'two runs with the same id';
  if (raw.currentRunId !== null && !isStr(raw.currentRunId)) return 'bad currentRunId';
  if (!isNum(raw.totalBytes) || !isNum(raw.limitBytes)) return 'bad totalBytes or limitBytes';
  return null;
}

const GRIDS = ['encoderSelf', 'decoderSelf', 'encoderDecoder'];

export function compareResultProblem(m: CompareAttentionResultMessage): string | null {
  const raw = m as unknown as Obj;
  if (!isStr(raw.sentence)) return 'sentence must be a string';
  if (!isArr(raw.sides) || raw.sides.length > MAX_SIDES) {
    return `sides must be an array of at most ${MAX_SIDES}`;
  }
  for (const side of raw.sides) {
    if (!isObj(side) || !isStr(side.runId) || !isStr(side.label)) return 'bad side';
    if (side.error !== undefined && !isStr(side.error)) return 'bad side error';
    const item = side.item;
    if (item === null) continue;
    if (!isObj(item) || !isStr(item.translation)) return `${side.label}: bad item`;
    const a = item.attention;
    if (
      !isObj(a) ||
      !isArr(a.sourceTokens) ||
      !isArr(a.targetInputTokens) ||
      !isNum(a.sourceValidLen) ||
      GRIDS.some((g) => !isArr(a[g]))
    ) {
      return `${side.label}: bad attention maps`;
    }
  }
  return null;
}
