/**
 * The seed study's records and its report (pure functions; scripts/seedStudy.ts runs the study):
 * per side and depth the final loss of every seed, mean ± sd, min–max, seed-sentence and
 * held-out BLEU, an exact permutation test of the mean final loss between the sides, and the
 * one- vs two-thread check without dropout.
 */

/** One training run of the study. side 'torch' = the book's code, 'ts' = ours. */
export interface RunSpec {
  side: 'torch' | 'ts';
  threads: 1 | 2;
  layers: number;
  seed: number;
  epochs: number;
  dropout: number;
  /**
   * The book's side only: its learning rate times this (1 + 1e-6: a rounding-level
   * perturbation, to see how far two runs that differ only by rounding drift apart).
   */
  lrScale?: number;
  /** The attention of every layer; absent: the book's dot product (the runs before this field). */
  attention?: 'dotProduct' | 'additive';
}

export interface StudyRun extends RunSpec {
  /** Loss per token of the last epoch (the number the book prints). */
  loss: number;
  /** [epoch, loss per token] as the trainer printed them (every 10th epoch for 200). */
  history: [number, number][];
  seedTranslations: string[];
  /** The book's bleu(pred, label, k=2) of the four seed sentences (0 where it would divide by 0). */
  seedBleu: number[];
  heldOut: { count: number; meanBleu2: number; corpusBleu4: number; degenerate: number };
  /** Where it ran: the TS backend, or the BLAS PyTorch loaded. */
  peer: { backend?: string; blas?: string[] | null };
}

/** Dot-product runs keep the keys (and report rows) they had before runs had an attention. */
export function isAdditive(s: Pick<RunSpec, 'attention'>): boolean {
  return s.attention === 'additive';
}

export function runKey(s: RunSpec): string {
  const lr = s.lrScale !== undefined && s.lrScale !== 1 ? `-lr${s.lrScale}` : '';
  const attention = isAdditive(s) ? '-additive' : '';
  return `${s.side}-t${s.threads}-L${s.layers}-s${s.seed}-e${s.epochs}-d${s.dropout}${lr}${attention}`;
}

export function sideLabel(s: Pick<RunSpec, 'side' | 'threads' | 'attention'>): string {
  const side =
    s.side === 'torch' ? "book's PyTorch" : `ours, ${s.threads} thread${s.threads > 1 ? 's' : ''}`;
  return isAdditive(s) ? `${side}, additive` : side;
}

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n - 1). */
export function sd(xs: number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/**
 * Exact two-sided permutation test of the difference of means: the share of all ways to split
 * the pooled values into groups of |a| and |b| whose |mean difference| is at least the observed
 * one (C(10, 5) = 252 splits for 5 seeds a side). Small p: the two sides end differently.
 */
export function permutationP(a: number[], b: number[]): number {
  const pooled = [...a, ...b];
  const total = pooled.reduce((s, x) => s + x, 0);
  const observed = Math.abs(mean(a) - mean(b));
  const k = a.length;
  const n = pooled.length;
  let extreme = 0;
  let splits = 0;
  const visit = (start: number, chosen: number, sum: number) => {
    if (chosen === k) {
      splits++;
      const diff = Math.abs(sum / k - (total - sum) / (n - k));
      if (diff >= observed - 1e-12) extreme++;
      return;
    }
    for (let i = start; i <= n - (k - chosen); i++) visit(i + 1, chosen + 1, sum + pooled[i]);
  };
  visit(0, 0, 0);
  return extreme / splits;
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');
const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '–');

interface Group {
  label: string;
  layers: number;
  epochs: number;
  additive: boolean;
  runs: StudyRun[];
}

/**
 * The dropout-0.1 runs by epochs (most first), depth (deepest first), attention (dot product
 * first) and side, seeds in order.
 */
export function mainGroups(runs: StudyRun[]): Group[] {
  const groups = new Map<string, Group>();
  for (const r of runs.filter((x) => x.dropout > 0)) {
    const key = `${r.epochs}|${r.layers}|${r.side}|${r.threads}|${isAdditive(r)}`;
    if (!groups.has(key)) {
      const { layers, epochs } = r;
      groups.set(key, { label: sideLabel(r), layers, epochs, additive: isAdditive(r), runs: [] });
    }
    groups.get(key)!.runs.push(r);
  }
  const order = (g: Group) =>
    -g.epochs * 1000 -
    g.layers * 10 +
    (g.additive ? 4 : 0) +
    (g.label.startsWith('book') ? 0 : g.runs[0].threads);
  return [...groups.values()]
    .map((g) => ({ ...g, runs: [...g.runs].sort((x, y) => x.seed - y.seed) }))
    .sort((x, y) => order(x) - order(y));
}

function lossTable(groups: Group[]): string[] {
  const seeds = [...new Set(groups.flatMap((g) => g.runs.map((r) => r.seed)))].sort(
    (a, b) => a - b,
  );
  const lines = [
    `| epochs | layers | side | ${seeds.map((s) => `seed ${s}`).join(' | ')} | mean ± sd | min – max |`,
    `| --- | --- | --- | ${seeds.map(() => '---').join(' | ')} | --- | --- |`,
  ];
  for (const g of groups) {
    const losses = g.runs.map((r) => r.loss);
    const cells = seeds.map((s) => f4(g.runs.find((r) => r.seed === s)?.loss ?? NaN));
    lines.push(
      `| ${g.epochs} | ${g.layers} | ${g.label} | ${cells.join(' | ')} | ${f4(mean(losses))} ± ${f4(sd(losses))} | ` +
        `${f4(Math.min(...losses))} – ${f4(Math.max(...losses))} |`,
    );
  }
  return lines;
}

function bleuTable(groups: Group[]): string[] {
  const lines = [
    '| epochs | layers | side | seed BLEU, mean of the 4 sentences, per seed | mean | held-out BLEU-2, mean ± sd | held-out BLEU-4, mean ± sd | collapsed runs |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const g of groups) {
    const seedMeans = g.runs.map((r) => mean(r.seedBleu));
    const b2 = g.runs.map((r) => r.heldOut.meanBleu2);
    const b4 = g.runs.map((r) => r.heldOut.corpusBleu4);
    // A collapsed model repeats a word: over a tenth of its held-out outputs are one token's.
    const collapsed = g.runs.filter((r) => r.heldOut.degenerate > 0.1).map((r) => `seed ${r.seed}`);
    lines.push(
      `| ${g.epochs} | ${g.layers} | ${g.label} | ${seedMeans.map(f3).join(' / ')} | ${f3(mean(seedMeans))} | ` +
        `${f4(mean(b2))} ± ${f4(sd(b2))} | ${f4(mean(b4))} ± ${f4(sd(b4))} | ` +
        `${collapsed.length ? collapsed.join(', ') : 'none'} |`,
    );
  }
  return lines;
}

function testTable(groups: Group[]): string[] {
  const lines = [
    '| epochs | layers | ours | mean final loss: ours − book | permutation p (loss) | held-out BLEU-2: ours − book | permutation p (BLEU-2) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const cells = [...new Set(groups.map((g) => `${g.epochs}|${g.layers}|${Number(g.additive)}`))];
  for (const [epochs, layers, additive] of cells.map((c) => c.split('|').map(Number))) {
    const here = groups.filter(
      (g) => g.layers === layers && g.epochs === epochs && Number(g.additive) === additive,
    );
    const book = here.find((g) => g.label.startsWith('book'));
    const ours = here.filter((g) => !g.label.startsWith('book'));
    if (!book || ours.length === 0) continue;
    const label = `ours, 1 and 2 threads pooled${additive ? ', additive' : ''}`;
    const pooled = { label, runs: ours.flatMap((g) => g.runs) };
    for (const g of ours.length > 1 ? [...ours, pooled] : ours) {
      const [a, b] = [g.runs.map((r) => r.loss), book.runs.map((r) => r.loss)];
      const [c, d] = [g.runs, book.runs].map((rs) => rs.map((r) => r.heldOut.meanBleu2));
      // Below 3 runs a side the test has too few splits to say anything (1 against 1: p = 1).
      const p = (x: number[], y: number[]) =>
        x.length < 3 || y.length < 3 ? '–' : f3(permutationP(x, y));
      lines.push(
        `| ${epochs} | ${layers} | ${g.label} | ${f4(mean(a) - mean(b))} | ${p(a, b)} | ` +
          `${f4(mean(c) - mean(d))} | ${p(c, d)} |`,
      );
    }
  }
  return lines;
}

/**
 * The dropout-0 checks: ours on one and on two threads (the same step up to float rounding),
 * and the book's code with its learning rate scaled by 1 + 1e-6, a rounding-level change: how far
 * two runs that differ only by rounding drift apart, on each side.
 */
function roundingCheck(runs: StudyRun[]): string[] {
  const checks = runs.filter((r) => r.dropout === 0);
  const lines = [
    '| side | layers | epochs | run A | run B | loss at epoch 10: A / B | final loss: A / B | largest relative gap between the printed losses |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const pairs: [StudyRun, StudyRun, string, string][] = [];
  for (const a of checks) {
    const same = (b: StudyRun) =>
      b.side === a.side &&
      b.layers === a.layers &&
      b.epochs === a.epochs &&
      isAdditive(b) === isAdditive(a);
    if (a.side === 'ts' && a.threads === 1) {
      const b = checks.find((x) => same(x) && x.threads === 2);
      if (b) pairs.push([a, b, '1 thread', '2 threads']);
    }
    if (a.side === 'torch' && (a.lrScale ?? 1) === 1) {
      const b = checks.find((x) => same(x) && (x.lrScale ?? 1) !== 1);
      if (b) pairs.push([a, b, 'lr 0.005', `lr × ${b.lrScale}`]);
    }
  }
  for (const [a, b, la, lb] of pairs) {
    let gap = 0;
    for (const [epoch, loss] of a.history) {
      const other = b.history.find(([e]) => e === epoch);
      if (other) gap = Math.max(gap, Math.abs(other[1] - loss) / loss);
    }
    gap = Math.max(gap, Math.abs(b.loss - a.loss) / a.loss);
    const at10 = (r: StudyRun) => f4(r.history.find(([e]) => e === 10)?.[1] ?? NaN);
    lines.push(
      `| ${sideLabel(a).replace(/, \d threads?/, '')} | ${a.layers} | ${a.epochs} | ${la} | ${lb} | ` +
        `${at10(a)} / ${at10(b)} | ${f4(a.loss)} / ${f4(b.loss)} | ${(100 * gap).toFixed(1)} % |`,
    );
  }
  return lines.length > 2 ? lines : [];
}

export function studyMarkdown(runs: StudyRun[], heldOut: { from: number; count: number }): string {
  const groups = mainGroups(runs);
  const blas = runs.find((r) => r.peer.blas)?.peer.blas;
  const check = roundingCheck(runs);
  return [
    "### Final loss per token (dropout 0.1, the book's settings)",
    '',
    ...lossTable(groups),
    '',
    `### Translations (greedy, correct decoder positions; held-out: corpus lines ${heldOut.from + 1}–${heldOut.from + heldOut.count})`,
    '',
    ...bleuTable(groups),
    '',
    '### Ours against the book (exact permutation test over the seeds)',
    '',
    ...testTable(groups),
    ...(check.length
      ? ['', '### Runs that differ only by float rounding (dropout 0, seed 0)', '', ...check]
      : []),
    '',
    `PyTorch's BLAS: ${blas ? blas.map((b) => b.split('/').pop()).join(', ') : 'unknown'}.`,
  ].join('\n');
}
