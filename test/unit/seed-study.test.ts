/**
 * The seed study's report (scripts/seedStudyReport.ts): the statistics it prints and the
 * permutation test behind its conclusion, on numbers worked out by hand.
 */
import { strict as assert } from 'node:assert';
import {
  StudyRun,
  mean,
  permutationP,
  runKey,
  sd,
  studyMarkdown,
} from '../../scripts/seedStudyReport';
import { studyPlan } from '../../scripts/seedStudy';

function run(side: 'torch' | 'ts', threads: 1 | 2, seed: number, loss: number): StudyRun {
  return {
    side,
    threads,
    layers: 4,
    seed,
    epochs: 200,
    dropout: 0.1,
    loss,
    history: [[200, loss]],
    seedTranslations: ['va !', '', '', ''],
    seedBleu: [1, 0, 0, 0],
    heldOut: { count: 10, meanBleu2: loss, corpusBleu4: 0, degenerate: seed === 0 ? 0.5 : 0 },
    peer: {},
  };
}

describe('seed study report', () => {
  it('mean and sample standard deviation', () => {
    assert.equal(mean([1, 2, 3, 4]), 2.5);
    assert.ok(Math.abs(sd([1, 2, 3, 4]) - Math.sqrt(5 / 3)) < 1e-12);
    assert.ok(Number.isNaN(sd([1])));
  });

  it('exact permutation p: 2 of 252 splits are as extreme as fully separated groups', () => {
    assert.ok(Math.abs(permutationP([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]) - 2 / 252) < 1e-12);
    assert.equal(permutationP([1, 2, 3], [1, 2, 3]), 1);
    // Unequal groups: C(3, 1) = 3 splits; only the two extremes reach |diff| = 1.5.
    assert.ok(Math.abs(permutationP([0], [1, 2]) - 2 / 3) < 1e-12);
  });

  it('tables every seed, the distributions, the test and the collapsed runs', () => {
    const runs = [0, 1, 2].flatMap((s) => [
      run('torch', 1, s, 0.05 + s / 100),
      run('ts', 2, s, 0.1),
    ]);
    const md = studyMarkdown(runs, { from: 10000, count: 10 });
    assert.match(
      md,
      /\| 200 \| 4 \| book's PyTorch \| 0\.0500 \| 0\.0600 \| 0\.0700 \| 0\.0600 ± 0\.0100 \| 0\.0500 – 0\.0700 \|/,
    );
    assert.match(
      md,
      /\| 200 \| 4 \| ours, 2 threads \| 0\.1000 \| 0\.1000 \| 0\.1000 \| 0\.1000 ± 0\.0000 \|/,
    );
    assert.match(md, /\| 200 \| 4 \| ours, 2 threads \| 0\.0400 \| 0\.100 \|/); // +0.04, p = 2/20
    assert.match(md, /corpus lines 10001–10010/);
    const few = studyMarkdown([run('torch', 1, 0, 0.05), run('ts', 2, 0, 0.1)], {
      from: 0,
      count: 1,
    });
    assert.match(few, /\| 200 \| 4 \| ours, 2 threads \| 0\.0500 \| – \|/); // no p for 1 against 1
    assert.match(md, /\| seed 0 \|\n/); // collapsed: half its outputs repeat one token
  });

  it('tables the rounding checks: 1 against 2 threads, the book against a scaled learning rate', () => {
    const check = (side: 'torch' | 'ts', threads: 1 | 2, loss: number, lrScale?: number) => ({
      ...run(side, threads, 0, loss),
      epochs: 20,
      dropout: 0,
      lrScale,
      history: [[10, 2 * loss] as [number, number], [20, loss] as [number, number]],
    });
    const md = studyMarkdown(
      [
        check('ts', 1, 0.1),
        check('ts', 2, 0.11),
        check('torch', 1, 0.1, 1),
        check('torch', 1, 0.12, 1 + 1e-6),
      ],
      { from: 0, count: 1 },
    );
    assert.match(
      md,
      /\| ours \| 4 \| 20 \| 1 thread \| 2 threads \| 0\.2000 \/ 0\.2200 \| 0\.1000 \/ 0\.1100 \| 10\.0 % \|/,
    );
    assert.match(
      md,
      /\| book's PyTorch \| 4 \| 20 \| lr 0\.005 \| lr × 1\.000001 \| .* \| 20\.0 % \|/,
    );
  });

  it('plans the cheap checks first, then the short runs, then every seed of each side by depth', () => {
    const plan = studyPlan({
      seeds: [0, 1],
      layers: [4],
      sides: ['torch', 'ts2'],
      extraSides: ['ts1'],
      epochs: 200,
      checkEpochs: 20,
      shortEpochs: 40,
      shortLayers: [4],
    }).map(runKey);
    assert.deepEqual(plan, [
      'ts-t1-L4-s0-e20-d0',
      'ts-t2-L4-s0-e20-d0',
      'torch-t1-L4-s0-e20-d0',
      'torch-t1-L4-s0-e20-d0-lr1.000001',
      'torch-t1-L4-s0-e40-d0.1',
      'ts-t2-L4-s0-e40-d0.1',
      'torch-t1-L4-s1-e40-d0.1',
      'ts-t2-L4-s1-e40-d0.1',
      'torch-t1-L4-s0-e200-d0.1',
      'ts-t2-L4-s0-e200-d0.1',
      'torch-t1-L4-s1-e200-d0.1',
      'ts-t2-L4-s1-e200-d0.1',
      'ts-t1-L4-s0-e200-d0.1',
      'ts-t1-L4-s1-e200-d0.1',
    ]);
  });

  it('plans additive attention on both sides under keys of their own', () => {
    const plan = studyPlan({
      seeds: [0, 1],
      layers: [2],
      sides: ['torch', 'ts2'],
      extraSides: [],
      epochs: 200,
      checkEpochs: null,
      attention: 'additive',
    });
    assert.ok(plan.every((s) => s.attention === 'additive'));
    // No regression-guard run first: that guard is the dot-product default's.
    assert.deepEqual(plan.map(runKey), [
      'torch-t1-L2-s0-e200-d0.1-additive',
      'ts-t2-L2-s0-e200-d0.1-additive',
      'torch-t1-L2-s1-e200-d0.1-additive',
      'ts-t2-L2-s1-e200-d0.1-additive',
    ]);
    // Dot-product runs carry no attention field, so the runs on file keep their keys.
    const dot = studyPlan({
      ...{ seeds: [1], layers: [2], sides: ['ts2'], extraSides: [] },
      epochs: 200,
      checkEpochs: null,
      attention: 'dotProduct',
    });
    assert.deepEqual(
      dot.map((s) => [runKey(s), 'attention' in s]),
      [['ts-t2-L2-s1-e200-d0.1', false]],
    );
    assert.equal(runKey({ ...dot[0], attention: 'dotProduct' }), 'ts-t2-L2-s1-e200-d0.1');
  });

  it('reports additive runs in rows and tests of their own, after the dot-product ones', () => {
    const additive = (r: StudyRun): StudyRun => ({ ...r, attention: 'additive', loss: r.loss + 1 });
    const dot = [0, 1, 2].flatMap((s) => [
      run('torch', 1, s, 0.05 + s / 100),
      run('ts', 2, s, 0.1),
    ]);
    const md = studyMarkdown([...dot.map(additive), ...dot], { from: 0, count: 10 });
    const rows = md.split('\n').filter((l) => l.startsWith('| 200 | 4 |'));
    assert.deepEqual(
      rows.slice(0, 4).map((l) => l.split(' | ').slice(2, 4).join(' | ')),
      [
        "book's PyTorch | 0.0500",
        'ours, 2 threads | 0.1000',
        "book's PyTorch, additive | 1.0500",
        'ours, 2 threads, additive | 1.1000',
      ],
    );
    // Each attention against its own book's runs: the same +0.04 and p = 2/20 twice, not +1.
    assert.match(md, /\| 200 \| 4 \| ours, 2 threads \| 0\.0400 \| 0\.100 \|/);
    assert.match(md, /\| 200 \| 4 \| ours, 2 threads, additive \| 0\.0400 \| 0\.100 \|/);
  });

  it('puts the default run (the regression guard) right after the checks, once', () => {
    const plan = studyPlan({
      seeds: [0],
      layers: [4, 2],
      sides: ['torch', 'ts2'],
      extraSides: [],
      epochs: 200,
      checkEpochs: null,
    }).map(runKey);
    assert.deepEqual(plan, [
      'ts-t2-L2-s0-e200-d0.1',
      'torch-t1-L4-s0-e200-d0.1',
      'ts-t2-L4-s0-e200-d0.1',
      'torch-t1-L2-s0-e200-d0.1',
    ]);
  });
});
