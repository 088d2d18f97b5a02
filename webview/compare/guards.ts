/**
 * Shape checks of the Compare Runs panel's compareAttentionResult, beyond the envelope that
 * parseHostMessage checks: every field the panel indexes into (its runsState is checked whole
 * by parseHostMessage, each run by src/shared/runRecord.ts's checkRunRecord). A message that fails is ignored
 * (and reported) instead of breaking the panel half way through a render. Pure.
 */
import type { CompareAttentionResultMessage } from '../../src/shared/protocol';
import { Obj, isNum, isObj, isStr } from '../../src/shared/shapes';

const MAX_SIDES = 2;

const GRIDS = ['encoderSelf', 'decoderSelf', 'encoderDecoder'];

export function compareResultProblem(m: CompareAttentionResultMessage): string | null {
  const raw = m as unknown as Obj;
  if (!isStr(raw.sentence)) return 'sentence must be a string';
  if (!Array.isArray(raw.sides) || raw.sides.length > MAX_SIDES) {
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
      !Array.isArray(a.sourceTokens) ||
      !Array.isArray(a.targetInputTokens) ||
      !isNum(a.sourceValidLen) ||
      GRIDS.some((g) => !Array.isArray(a[g]))
    ) {
      return `${side.label}: bad attention maps`;
    }
  }
  return null;
}
