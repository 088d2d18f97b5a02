/**
 * The heads switched off and what they changed: the original translation and the one without
 * those heads side by side, each with its BLEU against the reference where one is known, the
 * token diff (removed struck through, added underlined), how long the click took to come back,
 * and "Reset heads". Hidden while every head is on.
 */
import type { AttentionKind } from '../../src/decode/attentionMaps';
import type { HeadRef, TranslationItem } from '../../src/shared/protocol';
import { h, replaceChildren } from '../shared/dom';
import { formatBleu } from '../shared/format';
import { section } from '../shared/layout';
import type { ExploreState } from './explore';

const SHORT: Record<AttentionKind, string> = {
  encoderSelf: 'Encoder self',
  decoderSelf: 'Decoder self',
  encoderDecoder: 'Encoder–decoder',
};

export function headName(ref: HeadRef): string {
  return `${SHORT[ref.kind]} L${ref.layer + 1} H${ref.head + 1}`;
}

type MaskedResult = NonNullable<NonNullable<ExploreState['masked']>['result']>;

/** The translation without the heads: its sentence, BLEU, token diff and timing. */
function maskedResult(r: MaskedResult, roundTripMs: number | null): HTMLElement {
  const diff = r.changes.map((c) =>
    c.op === 'same' ? h('span', {}, c.token) : h(c.op === 'added' ? 'ins' : 'del', {}, c.token),
  );
  const timing =
    `Worker ${r.milliseconds.toFixed(0)} ms` +
    (roundTripMs !== null ? `, click to translation ${roundTripMs.toFixed(0)} ms` : '');
  return h(
    'div',
    {},
    h('p', { class: 'sentence', id: 'masked-translation' }, r.translation),
    h(
      'p',
      { class: 'muted', id: 'masked-bleu' },
      r.bleu === null ? 'BLEU – (no reference)' : `BLEU ${formatBleu(r.bleu)}`,
    ),
    h(
      'p',
      { class: 'token-diff', id: 'masked-diff', 'aria-label': 'Changes from the original' },
      ...diff.flatMap((d) => [d, ' ']),
    ),
    h('p', { class: 'muted', id: 'masked-timing' }, timing),
  );
}

/** The "Those heads off" side: pending, an error, or the result. */
function maskedSide(s: ExploreState): HTMLElement {
  const m = s.masked;
  if (!m) return h('p', { class: 'muted', id: 'masked-pending' }, 'Translating without them…');
  if (m.error || !m.result)
    return h('p', { class: 'error', id: 'masked-error' }, m.error ?? 'No result');
  return maskedResult(m.result, s.roundTripMs);
}

function sideBySide(item: TranslationItem, s: ExploreState): HTMLElement[] {
  const original = h(
    'div',
    { class: 'masked-side', id: 'masked-original' },
    h('h3', {}, 'Every head on'),
    h('p', { class: 'sentence' }, item.translation),
    h('p', { class: 'muted' }, `BLEU ${formatBleu(item.bleu)}`),
  );
  return [
    original,
    h(
      'div',
      { class: 'masked-side', id: 'masked-new' },
      h('h3', {}, 'Those heads off'),
      maskedSide(s),
    ),
  ];
}

export function createMaskedView(onReset: () => void) {
  const heads = h('p', { id: 'masked-heads', class: 'muted' });
  const body = h('div', { id: 'masked-body', 'aria-live': 'polite' });
  const reset = h(
    'button',
    { type: 'button', id: 'reset-heads', class: 'secondary' },
    'Reset heads',
  );
  reset.addEventListener('click', onReset);
  const element = section(
    {
      id: 'masked',
      title: 'Heads switched off',
      className: 'masked-translation',
      attrs: { id: 'masked', hidden: 'hidden' },
    },
    heads,
    body,
    reset,
  );
  const title = element.querySelector('h2')!;

  return {
    element,
    render(item: TranslationItem | null, s: ExploreState): void {
      element.hidden = !item || s.off.length === 0;
      if (element.hidden || !item) return;
      title.textContent = `${s.off.length} head${s.off.length === 1 ? '' : 's'} switched off`;
      heads.textContent = s.off.map(headName).join(', ');
      replaceChildren(body, h('div', { class: 'masked-columns' }, sideBySide(item, s)));
    },
  };
}
