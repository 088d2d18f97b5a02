/** run.json: reading it back checks its shape, so one damaged run never hides the others. */
import { RUN_ID_PATTERN, RunRecord, checkRunRecord } from '../shared/runRecord';
import { isObj } from '../shared/shapes';

export const RUN_FILE = 'run.json';
export const RUN_CHECKPOINT_DIR = 'checkpoint';

/** The record in `text` (read from the run folder `folder`), or an error naming what is wrong. */
export function parseRunRecord(
  text: string,
  folder: string,
): { ok: true; run: RunRecord } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: `${folder}/${RUN_FILE} is not valid JSON` };
  }
  if (!isObj(json)) return { ok: false, error: `${folder}: not a run` };
  if (json.id !== folder || !RUN_ID_PATTERN.test(folder)) {
    return { ok: false, error: `${folder}: the id in ${RUN_FILE} does not match its folder` };
  }
  return checkRunRecord(json); // its errors name the run by its id: the folder's name
}
