import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { downloadCorpus } from '../data/corpus';
import type { ExtensionSettings } from './settings';

/**
 * The corpus file the worker reads: the configured local file, or the book's zip downloaded once
 * into global storage with a progress notification (cancellable). Returns the path.
 */
export async function ensureCorpus(
  settings: ExtensionSettings,
  storage: vscode.Uri,
  log: vscode.LogOutputChannel,
): Promise<string> {
  if (settings.corpusPath) {
    const file = path.resolve(expandHome(settings.corpusPath));
    if (!existsSync(file)) {
      throw new Error(`transformer.corpusPath points to ${file}, which does not exist`);
    }
    log.info(`Corpus: local file ${file}`);
    return file;
  }
  const cacheDir = path.join(storage.fsPath, 'corpus');
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: 'Transformer: getting the fra-eng corpus',
      cancellable: true,
    },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      const file = await downloadCorpus({
        url: settings.corpusUrl,
        sha1: settings.corpusSha1,
        cacheDir,
        signal: controller.signal,
        onProgress: (received, total) => {
          if (total) {
            const pct = Math.floor((100 * received) / total);
            if (pct > reported) {
              progress.report({
                increment: pct - reported,
                message: `${(received / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB`,
              });
              reported = pct;
            }
          } else {
            progress.report({ message: `${(received / 1e6).toFixed(1)} MB` });
          }
        },
      });
      log.info(`Corpus: ${file} (from ${settings.corpusUrl})`);
      return file;
    },
  );
}

/** The cached download, if there is one (for reference lookups); undefined otherwise. */
export function cachedCorpus(
  settings: ExtensionSettings | null,
  storage: vscode.Uri,
): string | undefined {
  if (settings?.corpusPath) return path.resolve(expandHome(settings.corpusPath));
  const file = path.join(storage.fsPath, 'corpus', 'fra-eng', 'fra.txt');
  return existsSync(file) ? file : undefined;
}

function expandHome(p: string): string {
  return p.startsWith('~/') ? path.join(process.env.HOME ?? '', p.slice(2)) : p;
}
