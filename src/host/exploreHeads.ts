/**
 * The attention panel's explore requests on the host: find the translation the panel shows,
 * ask the worker (src/host/translationService.ts), and answer with a reply that carries the
 * result or the reason there is none, so the panel never waits for an answer that will not come.
 */
import type {
  HeadWalkthroughMessage,
  MaskHeadsMessage,
  MaskedTranslationMessage,
  TranslationItem,
  WalkHeadMessage,
} from '../shared/protocol';
import { errorText } from '../util/errorText';
import type { Explorer } from './explorer';

function itemOf(explorer: Explorer, id: number): TranslationItem | string {
  return (
    explorer.translations.items.find((item) => item.id === id) ??
    'That translation is no longer kept: translate the sentence again.'
  );
}

export async function answerMaskHeads(
  explorer: Explorer,
  m: MaskHeadsMessage,
): Promise<MaskedTranslationMessage> {
  const reply = { type: 'maskedTranslation', translationId: m.translationId, off: m.off } as const;
  const item = itemOf(explorer, m.translationId);
  if (typeof item === 'string') return { ...reply, error: item };
  try {
    const result = await explorer.translations.translateMasked(item, m.off);
    explorer.log.info(
      `Heads off (${m.off.length}): "${item.source}" => "${result.translation}" ` +
        `in ${result.milliseconds.toFixed(1)} ms in the worker`,
    );
    return { ...reply, result };
  } catch (err) {
    explorer.log.warn(`Masked translation failed: ${errorText(err)}`);
    return { ...reply, error: errorText(err) };
  }
}

export async function answerWalkHead(
  explorer: Explorer,
  m: WalkHeadMessage,
): Promise<HeadWalkthroughMessage> {
  const reply = { type: 'headWalkthrough', translationId: m.translationId } as const;
  const item = itemOf(explorer, m.translationId);
  if (typeof item === 'string') return { ...reply, error: item };
  try {
    const walkthrough = await explorer.translations.walkthrough(item, m, m.off);
    return { ...reply, walkthrough };
  } catch (err) {
    explorer.log.warn(`Head walk-through failed: ${errorText(err)}`);
    return { ...reply, error: errorText(err) };
  }
}
