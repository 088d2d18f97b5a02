/**
 * The seed sentences side by side: one row per source sentence (in the order the runs list
 * them), one cell per run with its translation and BLEU, or null where the run has none (a
 * failed run, or a run trained with other seeds). Pure.
 */
import type { RunRecord, ScoredSentence } from '../../src/shared/protocol';
import { runName } from './runRows';

export interface SeedColumn {
  runId: string;
  label: string;
}

export interface SeedRow {
  source: string;
  /** The first reference any run knows for the sentence. */
  reference: string | undefined;
  /** One per column, in the columns' order. */
  cells: (ScoredSentence | null)[];
}

export interface SeedComparison {
  columns: SeedColumn[];
  rows: SeedRow[];
}

export function seedComparison(runs: readonly RunRecord[]): SeedComparison {
  const sources: string[] = [];
  for (const run of runs) {
    for (const s of run.seeds) if (!sources.includes(s.source)) sources.push(s.source);
  }
  return {
    columns: runs.map((r) => ({ runId: r.id, label: runName(r) })),
    rows: sources.map((source) => {
      const cells = runs.map((r) => r.seeds.find((s) => s.source === source) ?? null);
      return {
        source,
        reference: cells.find((c) => c?.reference !== undefined)?.reference,
        cells,
      };
    }),
  };
}
