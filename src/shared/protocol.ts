/**
 * Every message that crosses a process or frame boundary: one interface per message and a union
 * for each direction, in one file per pair of ends.
 *
 *   extension host  <->  model worker (worker_threads)   HostToWorker / WorkerToHost   ./workerMessages.ts
 *   extension host  <->  webview panels                   HostToWebview / WebviewToHost ./webviewMessages.ts
 *   (both pairs: the attention panel's explore messages)                                 ./exploreMessages.ts
 *
 * What several messages carry is in ./payloads.ts, a run's record and metrics in ./runRecord.ts,
 * the settings' vocabulary (backends, position modes, threads) in src/config/choices.ts. Types
 * only (the guards are ./validate.ts): no vscode or tfjs import, so the webview bundles, the
 * worker and the host all import it.
 */
export type { BackendChoice, PositionMode, TrainingThreads } from '../config/choices';
export type * from './payloads';
export type { HeadReport, HeadRow, HeadsProgress } from './headReport';
export type { ImportedSource, RunMetrics, RunRecord, RunSummaryLine } from './runRecord';
export type * from './workerMessages';
export type * from './webviewMessages';
export type * from './exploreMessages';
