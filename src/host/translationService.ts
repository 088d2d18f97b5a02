import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MANIFEST_FILE } from '../checkpoint/manifest';
import type {
  HeadRef,
  HeadReport,
  HeadsProgress,
  HeldOutScore,
  MaskedResult,
  ModelFileReadMessage,
  ModelTarget,
  TranslationItem,
  WalkthroughResult,
} from '../shared/protocol';
import { cachedCorpus } from './corpusService';
import { ExtensionPaths } from './paths';
import { SentenceRequest } from './selection';
import { readDecodingSettings, readSettings } from './settings';
import { LongRequestOptions, WorkerClient } from './workerClient';

const KEEP = 50;
/** workspaceState key of the kept translations: the Translations panel's history survives a
 * window reload (the panel's own webview state does not outlive a reload of a hidden tab). */
const ITEMS_KEY = 'transformerExplorer.translations';

/**
 * Translations with the current checkpoint, computed in a long-lived worker thread of their own
 * (started on first use, so activation stays cheap and a training run never delays them).
 */
export class TranslationService implements vscode.Disposable {
  private worker: WorkerClient | null = null;
  private _items: TranslationItem[] = [];
  private _current: TranslationItem | null = null;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly paths: ExtensionPaths,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const saved = context.workspaceState.get<unknown>(ITEMS_KEY);
    this._items = Array.isArray(saved) ? (saved as TranslationItem[]).slice(0, KEEP) : [];
    this._current = this._items[0] ?? null;
  }

  get items(): TranslationItem[] {
    return this._items;
  }

  /** The translation the attention panel shows. */
  get current(): TranslationItem | null {
    return this._current;
  }

  select(id: number): TranslationItem | null {
    const item = this._items.find((entry) => entry.id === id) ?? null;
    if (item) this._current = item;
    return item;
  }

  hasModel(): boolean {
    return existsSync(path.join(this.paths.checkpointDir, MANIFEST_FILE));
  }

  async translate(sentences: SentenceRequest[]): Promise<TranslationItem[]> {
    const items = await this.translateWith(this.paths.checkpointDir, sentences);
    for (const item of items) {
      this.log.info(
        `Translated "${item.source}" => "${item.translation}"` +
          (item.decoding ? ` by ${item.decoding}` : '') +
          (item.bleu !== undefined
            ? ` (BLEU ${item.bleu.toFixed(3)} against "${item.reference}")`
            : ''),
      );
    }
    // The worker numbers from 0 each time it starts (after a reload too): new ids follow the kept
    // ones, so that an id stays unique within the list.
    let next = Math.max(0, ...this._items.map((item) => item.id)) + 1;
    const added = items.map((item) => ({ ...item, id: next++ }));
    this._items = [...added, ...this._items].slice(0, KEEP);
    this._current = added[0] ?? this._current;
    void this.context.workspaceState.update(ITEMS_KEY, this._items).then(undefined, (err) => {
      this.log.warn(`Could not keep the translations for the next window: ${String(err)}`);
    });
    return added;
  }

  /** Translations with the model in `checkpointDir` (a run of the history), not kept here. */
  async translateWith(
    checkpointDir: string,
    sentences: SentenceRequest[],
  ): Promise<TranslationItem[]> {
    const { settings, target, decoding } = this.requestBasics(checkpointDir);
    return this.client().translate({
      ...target,
      sentences,
      corpusPath: cachedCorpus(settings, this.context.globalStorageUri),
      decoding,
    });
  }

  /** `item` translated again by the current model with the heads `off` (decoded as now set). */
  async translateMasked(item: TranslationItem, off: HeadRef[]): Promise<MaskedResult> {
    const { target, decoding } = this.requestBasics(this.paths.checkpointDir);
    const reply = await this.client().request({
      type: 'maskedTranslate',
      ...target,
      sentence: item.source,
      reference: item.reference,
      original: item.translation.split(' ').filter((t) => t !== ''),
      off,
      beamSize: decoding.kind === 'beam' ? decoding.beamSize : undefined,
    });
    return reply.result;
  }

  /** One head of `item`'s greedy translation step by step, with the heads `off`. */
  async walkthrough(
    item: TranslationItem,
    ref: HeadRef & { query: number },
    off: HeadRef[],
  ): Promise<WalkthroughResult> {
    const { target } = this.requestBasics(this.paths.checkpointDir);
    const { kind, layer, head, query } = ref;
    const reply = await this.client().request({
      type: 'headWalkthrough',
      ...target,
      sentence: item.source,
      kind,
      layer,
      head,
      query,
      off,
    });
    return reply.walkthrough;
  }

  /** The settings a worker request reads (a bad decoding setting is an error). */
  private requestBasics(checkpointDir: string) {
    const read = readSettings(this.log);
    if (!read.ok) this.log.warn(`Settings have errors, defaults used: ${read.errors.join('; ')}`);
    const settings = read.ok ? read.settings : null;
    const decoding = readDecodingSettings();
    if (!decoding.ok) throw new Error(decoding.errors.join('; '));
    const target: ModelTarget = {
      checkpointDir,
      positionMode: settings?.positionMode ?? 'correct',
      backend: settings?.backend ?? 'auto',
      wasmDir: this.paths.wasmDir,
      gpuModulePaths: [this.paths.gpuModulesDir],
    };
    return { settings, target, decoding: decoding.decoding };
  }

  private client(): WorkerClient {
    if (!this.worker?.alive) this.worker = new WorkerClient(this.paths.workerScript);
    return this.worker;
  }

  /**
   * Every head of the model in `checkpointDir` scored over `count` held-out pairs of the cached
   * corpus, in this service's worker (it shares the loaded model with translations).
   */
  scoreHeads(
    checkpointDir: string,
    count: number,
    options: LongRequestOptions<HeadsProgress>,
  ): Promise<HeadReport> {
    const { settings, target } = this.requestBasics(checkpointDir);
    const corpusPath = cachedCorpus(settings, this.context.globalStorageUri);
    if (!corpusPath) {
      return Promise.reject(
        new Error('The corpus is not on this machine yet: train once to download it'),
      );
    }
    return this.client().scoreHeads({ ...target, corpusPath, count }, options);
  }

  /**
   * The held-out BLEU of the model in `checkpointDir` over `count` pairs of `corpusPath` after
   * its training pairs, in this service's worker (src/worker/heldOutScorer.ts).
   */
  scoreHeldOut(
    checkpointDir: string,
    corpusPath: string,
    count: number,
    options: LongRequestOptions<{ done: number; total: number }>,
  ): Promise<HeldOutScore> {
    const { target } = this.requestBasics(checkpointDir);
    return this.client().scoreHeldOut({ ...target, corpusPath, count }, options);
  }

  /** Reads and checks a model file in the worker (Open Model…), off this thread. */
  readModelFile(file: string): Promise<ModelFileReadMessage> {
    return this.client().readModelFile(file);
  }

  dispose(): void {
    void this.worker?.terminate();
  }
}
