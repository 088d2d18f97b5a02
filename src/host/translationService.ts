import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MANIFEST_FILE } from '../checkpoint/manifest';
import type { HeadReport, HeadsProgress, TranslationItem } from '../shared/protocol';
import { cachedCorpus } from './corpusService';
import { ExtensionPaths } from './paths';
import { SentenceRequest } from './selection';
import { readDecodingSettings, readSettings } from './settings';
import { WorkerClient } from './workerClient';

const KEEP = 50;

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
  ) {}

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
    this._items = [...items, ...this._items].slice(0, KEEP);
    this._current = items[0] ?? this._current;
    return items;
  }

  /** Translations with the model in `checkpointDir` (a run of the history), not kept here. */
  async translateWith(
    checkpointDir: string,
    sentences: SentenceRequest[],
  ): Promise<TranslationItem[]> {
    const decoding = readDecodingSettings();
    if (!decoding.ok) throw new Error(decoding.errors.join('; '));
    const { request, corpusPath } = this.modelRequest(checkpointDir);
    return this.client().translate({
      ...request,
      sentences,
      corpusPath,
      decoding: decoding.decoding,
    });
  }

  /**
   * Every head of the model in `checkpointDir` scored over `count` held-out pairs of the cached
   * corpus, in this service's worker (it shares the loaded model with translations).
   */
  scoreHeads(
    checkpointDir: string,
    count: number,
    options: { onProgress?: (p: HeadsProgress) => void; signal?: AbortSignal },
  ): Promise<HeadReport> {
    const { request, corpusPath } = this.modelRequest(checkpointDir);
    if (!corpusPath) {
      return Promise.reject(
        new Error('The corpus is not on this machine yet: train once to download it'),
      );
    }
    return this.client().scoreHeads({ ...request, corpusPath, count }, options);
  }

  private client(): WorkerClient {
    if (!this.worker?.alive) this.worker = new WorkerClient(this.paths.workerScript);
    return this.worker;
  }

  /** What a worker request says of the model and backend, from the settings. */
  private modelRequest(checkpointDir: string) {
    const read = readSettings(this.log);
    const settings = read.ok ? read.settings : null;
    return {
      request: {
        checkpointDir,
        positionMode: settings?.positionMode ?? 'correct',
        backend: settings?.backend ?? 'auto',
        wasmDir: this.paths.wasmDir,
        gpuModulePaths: [this.paths.gpuModulesDir],
      },
      corpusPath: cachedCorpus(settings, this.context.globalStorageUri),
    };
  }

  dispose(): void {
    void this.worker?.terminate();
  }
}
