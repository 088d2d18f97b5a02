/**
 * One head step by step (d2l.ai §11.3 and §11.5 with this model's numbers): for a query token of
 * one head, the query vector, the keys, the scores, the mask, the softmax weights (equal to the
 * heatmap's row, shown beside it) and the weighted sum of the values, each step a captioned
 * table under the book's formula. Tables, so a screen reader reads every number.
 */
import type { WalkthroughResult } from '../../src/shared/protocol';
import { h, replaceChildren } from '../shared/dom';
import { section } from '../shared/layout';
import type { ExploreState, WalkRequest } from './explore';
import { headName } from './maskedView';

const num = (x: number | null) => (x === null ? '–' : x.toFixed(4));

function table(id: string, caption: string, head: string[], rows: (string | number)[][]) {
  return h(
    'table',
    { class: 'walk-table', id },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {},
          r.map((c, i) =>
            i === 0 ? h('th', { scope: 'row' }, String(c)) : h('td', {}, String(c)),
          ),
        ),
      ),
    ),
  );
}

const dims = (d: number) => Array.from({ length: d }, (_, i) => `${i + 1}`);

/** The steps of one walk-through, each a table under its formula. */
export function walkSteps(w: WalkthroughResult): HTMLElement[] {
  const scoreFormula =
    w.scoring === 'dotProduct'
      ? `3. Scores: a(q, kⱼ) = q·kⱼ / √d, d = ${w.d} (scaled dot product, §11.3.3)`
      : '3. Scores: a(q, kⱼ) = w_vᵀ tanh(W_q q + W_k kⱼ) (additive attention, §11.3.2)';
  return [
    table(
      'walk-query',
      `1. Query: q = x W_q (this head's ${w.d} columns)`,
      ['', ...dims(w.d)],
      [[w.queryToken, ...w.queryVector.map(num)]],
    ),
    table(
      'walk-keys',
      '2. Keys: kⱼ = xⱼ W_k, one row per key token',
      ['key', ...dims(w.d)],
      w.keys.map((k, j) => [`${j} ${w.keyTokens[j]}`, ...k.map(num)]),
    ),
    table(
      'walk-scores',
      `${scoreFormula}; 4. mask (padding and later steps are not seen); ` +
        '5. weights: αⱼ = exp(aⱼ) / Σₖ exp(aₖ) over the keys seen',
      ['key', 'score a(q, kⱼ)', 'seen', 'softmax αⱼ', 'heatmap row'],
      w.scores.map((s, j) => [
        `${j} ${w.keyTokens[j]}`,
        num(s),
        w.visible[j] ? 'yes' : 'masked',
        num(w.visible[j] ? w.softmax[j] : null),
        num(w.weights[j] ?? null),
      ]),
    ),
    table(
      'walk-values',
      '6. Values: vⱼ = xⱼ W_v',
      ['value', ...dims(w.d)],
      w.values.map((v, j) => [`${j} ${w.keyTokens[j]}`, ...v.map(num)]),
    ),
    table(
      'walk-output',
      `7. Output: Σⱼ αⱼ vⱼ (then the head's gate, ${w.gate}, and W_o)`,
      ['', ...dims(w.d)],
      [
        ['computed here', ...w.output.map(num)],
        ['the model', ...w.modelOutput.map(num)],
      ],
    ),
  ];
}

export function createWalkthroughView(handlers: {
  onQuery(request: WalkRequest): void;
  onClose(): void;
}) {
  const querySelect = h('select', { id: 'walk-query-select', 'aria-label': 'Query token' });
  const close = h('button', { type: 'button', id: 'walk-close', class: 'secondary' }, 'Close');
  const intro = h('p', { class: 'muted', id: 'walk-intro' });
  const body = h('div', { id: 'walk-body', 'aria-live': 'polite' });
  let request: WalkRequest | null = null;
  querySelect.addEventListener('change', () => {
    if (request) handlers.onQuery({ ...request, query: Number(querySelect.value) });
  });
  close.addEventListener('click', handlers.onClose);
  const element = section(
    {
      id: 'walk',
      title: 'One head step by step',
      className: 'walkthrough',
      attrs: { id: 'walk', hidden: 'hidden' },
    },
    h(
      'div',
      { class: 'toolbar' },
      h('label', { for: 'walk-query-select' }, 'Query '),
      querySelect,
      close,
    ),
    intro,
    body,
  );
  return {
    element,
    render(s: ExploreState, queryTokens: (kind: WalkRequest['kind']) => string[]): void {
      element.hidden = !s.walk;
      if (!s.walk) return;
      request = s.walk.request;
      const tokens = queryTokens(request.kind);
      replaceChildren(
        querySelect,
        tokens.map((t, i) =>
          h('option', { value: i, selected: i === request!.query }, `${i} ${t}`),
        ),
      );
      intro.textContent = `${headName(request)}, query ${request.query} (“${tokens[request.query] ?? ''}”)`;
      const reply = s.walk.reply;
      if (!reply) replaceChildren(body, h('p', { class: 'muted' }, 'Computing…'));
      else if (!reply.walkthrough)
        replaceChildren(body, h('p', { class: 'error' }, reply.error ?? 'No result'));
      else replaceChildren(body, ...walkSteps(reply.walkthrough));
    },
  };
}
