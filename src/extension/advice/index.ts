// The advice feature: a lens segment with the best predicted rewrite ("→ native ~2.3× at n≈1e5
// (predicted)") — or the measured numbers once a benchmark of the loop's kernel is saved ("native
// 1.4× measured") — light-bulb actions per winning target, and `hotloop.applyRewrite`.
// The calibration runs in a worker thread (calibrationLoader.ts) after the first lens asks, off the
// activation path and off the host's thread; the lens refreshes when it is ready. Sizes come from
// the newest stored profile's shapes when there is one, else the literal trip count, else 1e5.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { registerCommand } from '../commandRegistry.js';
import type { LoopFacts } from '../../core/analysis/types.js';
import type { Calibration } from '../../core/advice/calibrate.js';
import type { BenchResult } from '../../core/bench/types.js';
import type { LensContributor, LensSegment } from '../contributions.js';
import { documentSelector } from '../documentAnalysis.js';
import type { Services } from '../services.js';
import { applyCommandId, runApply, type ApplyArgs } from './applyCommand.js';
import { loadCalibrationOffThread } from './calibrationLoader.js';
import { registerAdviceCodeActions } from './codeActions.js';
import { registerIoCodeActions } from './ioActions.js';
import { registerZeroCopyCodeActions } from './zeroCopyActions.js';
import { registerDataCodeActions } from './dataActions.js';
import { registerColumnarCodeActions } from './columnarActions.js';
import { readLatestResults, readProfileSizes } from './evidence.js';
import { adviceSegment, sizeForLens } from './segment.js';

export { adviceSegment, sizeForLens, LENS_DEFAULT_N } from './segment.js';

/** A lens request re-reads `.hotloop/` (in the background) when the last read is older than this. */
const EVIDENCE_TTL_MS = 3_000;

export function registerAdviceFeature(services: Services, context: vscode.ExtensionContext): void {
  const changed = new vscode.EventEmitter<void>();
  let cal: Calibration | undefined;
  let state: 'idle' | 'loading' | 'failed' = 'idle';
  let results = new Map<string, BenchResult>();
  let sizes = new Map<string, number>();
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;

  const load = (): void => {
    state = 'loading';
    const t0 = performance.now();
    loadCalibrationOffThread(join(services.storage.dist, 'engine.js'), {
      cacheDir: vscode.Uri.joinPath(services.storage.global, 'advice').fsPath,
    })
      .then((c) => {
        cal = c;
        state = 'idle';
        services.log.info(
          `advice: calibration of ${c.createdAt} (${c.cpu}, Node ${c.node}) ready after ${Math.round(performance.now() - t0)} ms (worker thread)`,
        );
        changed.fire();
      })
      .catch((e: unknown) => {
        state = 'failed';
        services.log.warn(`advice: calibration failed: ${e instanceof Error ? e.message : String(e)}`);
      });
  };

  // Evidence from .hotloop/: read (async) at start, when the stores write (file watcher), and at most
  // every EVIDENCE_TTL_MS when lenses are asked for (where the host's watcher misses a write). A lens
  // request only starts the read; it never waits for it.
  const signature = { results: '', profiles: '' };
  const lastRead = { results: 0, profiles: 0 };
  const reading = { results: false, profiles: false };
  const readEvidence = (what: 'results' | 'profiles'): void => {
    if (!root || reading[what]) return;
    reading[what] = true;
    lastRead[what] = Date.now();
    const job: Promise<string> =
      what === 'results'
        ? readLatestResults(root).then((r) => {
            results = r;
            return [...r.values()]
              .map((x) => `${x.kernel}:${x.id}:${x.createdAt}`)
              .sort()
              .join('|');
          })
        : readProfileSizes(root).then((s) => {
            sizes = s;
            return [...s]
              .map(([k, v]) => `${k}=${v}`)
              .sort()
              .join('|');
          });
    job.then(
      (sig) => {
        reading[what] = false;
        if (sig === signature[what]) return;
        signature[what] = sig;
        services.log.info(
          `advice: .hotloop/${what} read (${what === 'results' ? results.size : sizes.size} entries)`,
        );
        changed.fire();
      },
      (e: unknown) => {
        reading[what] = false;
        services.log.warn(
          `advice: reading .hotloop/${what} failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      },
    );
  };
  const refreshIfOld = (): void => {
    for (const what of ['results', 'profiles'] as const)
      if (Date.now() - lastRead[what] > EVIDENCE_TTL_MS) readEvidence(what);
  };
  if (root) {
    readEvidence('results');
    readEvidence('profiles');
    for (const what of ['results', 'profiles'] as const) {
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(root, `.hotloop/${what}/**/*.json`),
      );
      let pending: ReturnType<typeof setTimeout> | undefined;
      const again = (): void => {
        clearTimeout(pending);
        pending = setTimeout(() => {
          readEvidence(what);
        }, 200);
      };
      context.subscriptions.push(
        watcher,
        watcher.onDidCreate(again),
        watcher.onDidChange(again),
        watcher.onDidDelete(again),
        {
          dispose: () => {
            clearTimeout(pending);
          },
        },
      );
    }
  }

  const contributor: LensContributor = {
    segments(loop: LoopFacts): readonly LensSegment[] {
      if (!loop.kernel || loop.depth > 0) return [];
      if (!cal && state === 'idle') load();
      refreshIfOld();
      const seg = adviceSegment(loop, cal, { results, sizes });
      return seg ? [seg] : [];
    },
    onDidChange: changed.event,
  };
  const source = {
    calibration: (): Calibration | undefined => {
      if (!cal && state === 'idle') load();
      return cal;
    },
    sizeFor: (loop: LoopFacts): number => sizeForLens(loop, sizes),
  };
  context.subscriptions.push(
    changed,
    services.lenses.register(contributor),
    registerAdviceCodeActions(services, source, documentSelector),
    registerIoCodeActions(services, documentSelector),
    registerZeroCopyCodeActions(services, documentSelector),
    registerDataCodeActions(services, documentSelector),
    registerColumnarCodeActions(services, documentSelector),
    registerCommand(services, applyCommandId, (args) => runApply(services, args as ApplyArgs | undefined)),
  );
}
