import { BackendInfo, selectBackend } from '../backend/backend';
import { LoadedCheckpoint, loadCheckpoint, readManifest } from '../checkpoint/checkpoint';
import { readCorpusFile } from '../data/corpus';
import { preprocessNmt } from '../data/preprocess';
import { iterateLines } from '../data/tokenize';
import { greedyTranslate, tokenizeSource } from '../decode/greedy';
import { scoreTranslation } from '../decode/seedSentences';
import type { TranslateRequestMessage, TranslationItem } from '../shared/protocol';

/**
 * Answers translate requests in the worker: keeps the last checkpoint loaded (reloaded when a
 * new one is saved) and an index of the corpus for reference translations.
 */
export class Translator {
  private backend: BackendInfo | null = null;
  private loaded: { dir: string; createdAt: string; checkpoint: LoadedCheckpoint } | null = null;
  private references: { path: string; map: Map<string, string> } | null = null;
  private nextId = 1;

  async translate(msg: TranslateRequestMessage): Promise<TranslationItem[]> {
    this.backend ??= await selectBackend(msg.backend, {
      wasmDir: msg.wasmDir,
      gpuModulePaths: msg.gpuModulePaths,
    });
    const ck = await this.checkpoint(msg.checkpointDir);
    const refs = msg.corpusPath ? this.referenceIndex(msg.corpusPath) : null;
    return msg.sentences.map(({ source, reference }) => {
      const t = greedyTranslate(ck.model, ck.srcVocab, ck.tgtVocab, source, {
        numSteps: ck.hyperparameters.numSteps,
        positionMode: msg.positionMode,
      });
      const ref = reference ?? refs?.get(tokenizeSource(source).join(' '));
      const scored = ref
        ? scoreTranslation(t, tokenizeSource(ref).join(' '))
        : { source, translation: t.translation, unknownTokens: t.unknownTokens };
      return { ...scored, id: this.nextId++, attention: t.attention };
    });
  }

  private async checkpoint(dir: string): Promise<LoadedCheckpoint> {
    const manifest = await readManifest(dir);
    if (this.loaded && this.loaded.dir === dir && this.loaded.createdAt === manifest.createdAt) {
      return this.loaded.checkpoint;
    }
    this.loaded?.checkpoint.model.dispose();
    this.loaded = null;
    const checkpoint = await loadCheckpoint(dir);
    this.loaded = { dir, createdAt: manifest.createdAt, checkpoint };
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
