import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BackendInfo, selectBackend } from '../backend/backend';
import {
  LoadedCheckpoint,
  MANIFEST_FILE,
  loadCheckpoint,
  readManifest,
} from '../checkpoint/checkpoint';
import { readCorpusFile } from '../data/corpus';
import { preprocessNmt } from '../data/preprocess';
import { iterateLines } from '../data/tokenize';
import { beamTranslate } from '../decode/beam';
import { bleu } from '../decode/bleu';
import { greedyTranslate, tokenizeSource, Translation } from '../decode/greedy';
import { scoreTranslation } from '../decode/seedSentences';
import type {
  DecodingRequest,
  ModelTarget,
  TranslateRequestMessage,
  TranslationCandidate,
  TranslationItem,
} from '../shared/protocol';

/**
 * Answers translate requests in the worker: keeps the last checkpoint loaded (reloaded when a
 * new one is saved) and an index of the corpus for reference translations.
 */
export class Translator {
  private backend: BackendInfo | null = null;
  private loaded: {
    dir: string;
    createdAt: string;
    /** The manifest file as stat saw it when it was last read (see manifestStamp). */
    stamp: string | null;
    checkpoint: LoadedCheckpoint;
  } | null = null;
  private references: { path: string; map: Map<string, string> } | null = null;
  private nextId = 1;

  /** The backend started (first request) and the target's checkpoint loaded (kept). */
  async model(target: ModelTarget): Promise<LoadedCheckpoint> {
    this.backend ??= await selectBackend(target.backend, {
      wasmDir: target.wasmDir,
      gpuModulePaths: target.gpuModulePaths,
    });
    return this.checkpoint(target.checkpointDir);
  }

  async translate(msg: TranslateRequestMessage): Promise<TranslationItem[]> {
    const ck = await this.model(msg);
    const refs = msg.corpusPath ? this.referenceIndex(msg.corpusPath) : null;
    // Older hosts (or tests) may leave decoding out: greedy, as before.
    const decoding: DecodingRequest = msg.decoding ?? { kind: 'greedy' };
    return msg.sentences.map(({ source, reference }) => {
      const options = { numSteps: ck.hyperparameters.numSteps, positionMode: msg.positionMode };
      let t: Translation;
      let candidates: { translation: string; logProb: number; score: number }[] | undefined;
      if (decoding.kind === 'beam') {
        const b = beamTranslate(ck.model, ck.srcVocab, ck.tgtVocab, source, {
          ...options,
          beamSize: decoding.beamSize,
          alpha: decoding.alpha,
        });
        t = b;
        candidates = b.candidates.map((c) => ({
          translation: c.tokens.join(' '),
          logProb: c.logProb,
          score: c.score,
        }));
      } else {
        t = greedyTranslate(ck.model, ck.srcVocab, ck.tgtVocab, source, options);
      }
      const found = reference ?? refs?.get(tokenizeSource(source).join(' '));
      const ref = found ? tokenizeSource(found).join(' ') : undefined;
      const scored =
        ref !== undefined
          ? scoreTranslation(t, ref)
          : {
              source,
              translation: t.translation,
              unknownTokens: t.unknownTokens,
              ...(t.truncation ? { truncation: t.truncation } : {}),
            };
      const item: TranslationItem = {
        ...scored,
        id: this.nextId++,
        attention: t.attention,
        decoding: describeDecoding(decoding),
      };
      if (candidates) {
        item.candidates = candidates.map((c): TranslationCandidate =>
          ref !== undefined ? { ...c, bleu: bleu(c.translation, ref, 2) } : c,
        );
      }
      return item;
    });
  }

  /**
   * The checkpoint in `dir`, loaded once and kept until its manifest changes. A save replaces
   * the manifest by a rename (src/checkpoint/commit.ts), so a manifest file with the same inode,
   * size and modification time is the one already read: the stat spares every request reading
   * and checking the whole manifest again (1-4 ms a request, 11-21 ms at p95 under load, of a
   * click in the attention panel that translates again).
   */
  private async checkpoint(dir: string): Promise<LoadedCheckpoint> {
    const stamp = await manifestStamp(dir);
    const kept = this.loaded?.dir === dir ? this.loaded : null;
    if (kept && stamp !== null && kept.stamp === stamp) return kept.checkpoint;
    const manifest = await readManifest(dir);
    if (kept && kept.createdAt === manifest.createdAt) {
      kept.stamp = stamp;
      return kept.checkpoint;
    }
    this.loaded?.checkpoint.model.dispose();
    this.loaded = null;
    const checkpoint = await loadCheckpoint(dir);
    this.loaded = { dir, createdAt: manifest.createdAt, stamp, checkpoint };
    return checkpoint;
  }

  /** Preprocessed English -> first French translation in the corpus. */
  private referenceIndex(path: string): Map<string, string> | null {
    if (this.references?.path === path) return this.references.map;
    let text: string;
    try {
      text = readCorpusFile(path);
    } catch {
      return null; // no corpus yet: translations simply come without a reference
    }
    const map = new Map<string, string>();
    for (const line of iterateLines(text)) {
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      const en = preprocessNmt(line.slice(0, tab)).trim();
      if (!map.has(en)) map.set(en, preprocessNmt(line.slice(tab + 1)).trim());
    }
    this.references = { path, map };
    return map;
  }
}

/** "greedy" or "beam search (beam 3, α = 0.75)". */
export function describeDecoding(decoding: DecodingRequest): string {
  return decoding.kind === 'beam'
    ? `beam search (beam ${decoding.beamSize}, α = ${decoding.alpha})`
    : 'greedy';
}

/** Inode, size and modification time of `dir`'s manifest; null where it cannot be read. */
async function manifestStamp(dir: string): Promise<string | null> {
  try {
    const st = await fs.stat(path.join(dir, MANIFEST_FILE), { bigint: true });
    return `${st.ino} ${st.size} ${st.mtimeNs}`;
  } catch {
    return null;
  }
}
