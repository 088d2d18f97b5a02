/** run.json: reading it back checks its shape, so one damaged run never hides the others. */
import { validateHyperparameters } from '../config/hyperparameters';
import type { ImportedSource, RunRecord } from '../shared/protocol';
import { RUN_ID_PATTERN } from '../shared/validate';

export const RUN_FILE = 'run.json';
export const RUN_CHECKPOINT_DIR = 'checkpoint';
const STATUSES: readonly RunRecord['status'][] = ['finished', 'cancelled', 'failed'];

/** The record in `text`, or an error for people naming what is wrong. */
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
  const r = json as Partial<RunRecord>;
  if (typeof r !== 'object' || r === null) return { ok: false, error: `${folder}: not a run` };
  if (r.id !== folder || !RUN_ID_PATTERN.test(folder)) {
    return { ok: false, error: `${folder}: the id in ${RUN_FILE} does not match its folder` };
  }
  if (!Number.isInteger(r.number) || (r.number ?? 0) < 1) {
    return { ok: false, error: `${folder}: run number missing` };
  }
  if (!STATUSES.includes(r.status as RunRecord['status'])) {
    return { ok: false, error: `${folder}: unknown status ${JSON.stringify(r.status)}` };
  }
  const h = validateHyperparameters(r.hyperparameters);
  if (!h.ok) return { ok: false, error: `${folder}: ${h.errors.join('; ')}` };
  if (!Array.isArray(r.points) || !Array.isArray(r.seeds)) {
    return { ok: false, error: `${folder}: loss curve or seed translations missing` };
  }
  const imported = importedProblem(r.imported);
  if (imported) return { ok: false, error: `${folder}: ${imported}` };
  return {
    ok: true,
    run: {
      ...(r as RunRecord),
      hyperparameters: h.value,
      positionMode: r.positionMode === 'book' ? 'book' : 'correct',
      backend: r.backend ?? null,
      summary: r.summary ?? null,
      heldOut: r.heldOut ?? null,
      hasCheckpoint: r.hasCheckpoint === true,
      sizeBytes: typeof r.sizeBytes === 'number' ? r.sizeBytes : 0,
    },
  };
}

/** What is wrong with a record's `imported` (absent is fine: a trained run). */
function importedProblem(imported: unknown): string | null {
  if (imported === undefined) return null;
  const i = imported as Partial<ImportedSource> | null;
  if (typeof i !== 'object' || i === null) return 'imported must be an object';
  if (typeof i.file !== 'string' || i.file === '') return 'imported.file must name a file';
  if (i.format !== 'pt' && i.format !== 'safetensors') {
    return `imported.format must be "pt" or "safetensors" (got ${JSON.stringify(i.format)})`;
  }
  return null;
}
