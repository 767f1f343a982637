// The one Services object built in activate() and passed to every feature: no global mutable state.
//
// What a feature (profile, scaffold, results, advice) gets:
//   services.log              the 'Hotloop' LogOutputChannel (also a core Logger for the engine)
//   services.settings         typed `hotloop.*` settings: get(key), current, onDidChange(keys)
//   services.engine()         the lazily loaded engine bundle (dist/engine.js); throws a clear Error if missing
//   services.analyses         per-document analysis cache (version-keyed): analyze(doc, token), analyzeNow(doc)
//   services.requireTrust(w)  false (and a message) in an untrusted workspace: call it before executing workspace code
//   services.lenses           register(LensContributor) → extra lens segments and lens commands
//   services.heat             register(HeatSource) → per-loop CPU share ranking the Hot loops tree
//   services.storage          where to keep files: global/workspace storage, `.hotloop/` in the workspace
//   services.session          the second disposal scope: engine-bound state, cleared on restartSession()
import * as vscode from 'vscode';
import type { HotloopSettings } from '../core/settings.js';
import { DisposableList } from './disposable.js';
import { DocumentAnalyses } from './documentAnalysis.js';
import { lazyEngine, type Engine } from './engineLoader.js';
import { HeatRegistry, LensRegistry } from './registries.js';
import { changedKeys, readSettings, settingsSection, type SettingKey } from './settingsModel.js';

export interface SettingsService {
  get<K extends SettingKey>(key: K): HotloopSettings[K];
  readonly current: Readonly<HotloopSettings>;
  /** Fires with the keys whose values changed. */
  readonly onDidChange: vscode.Event<readonly SettingKey[]>;
}

export interface StoragePaths {
  /** Per-user storage of the extension (calibration caches). */
  readonly global: vscode.Uri;
  /** Per-workspace storage, undefined without a workspace. */
  readonly workspace: vscode.Uri | undefined;
  /** `<first workspace folder>/.hotloop` (results, profiles users may want to keep), undefined without a folder. */
  readonly dotHotloop: vscode.Uri | undefined;
  /** Folder of the extension's bundles (dist/), e.g. for webview resources. */
  readonly dist: string;
}

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly settings: SettingsService;
  engine(): Engine;
  readonly analyses: DocumentAnalyses;
  requireTrust(what: string): boolean;
  readonly lenses: LensRegistry;
  readonly heat: HeatRegistry;
  readonly storage: StoragePaths;
  /** Disposables bound to the engine session; disposed and emptied by restartSession(). */
  readonly session: DisposableList;
  /** Drops engine state (analysis caches, session disposables), e.g. after workspace folders change. */
  restartSession(reason: string): void;
}

function createSettings(log: vscode.LogOutputChannel, scope: DisposableList): SettingsService {
  const read = (): HotloopSettings => {
    const config = vscode.workspace.getConfiguration(settingsSection);
    const { settings, invalid } = readSettings((key) => config.get(key));
    for (const key of invalid) log.warn(`setting hotloop.${key} has an invalid value; using the default`);
    return settings;
  };
  let current = read();
  const emitter = scope.add(new vscode.EventEmitter<readonly SettingKey[]>());
  scope.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(settingsSection)) return;
      const next = read();
      const keys = changedKeys(current, next);
      current = next;
      if (keys.length) {
        log.info(`settings changed: ${keys.map((k) => `hotloop.${k}`).join(', ')}`);
        emitter.fire(keys);
      }
    }),
  );
  return {
    get: (key) => current[key],
    get current() {
      return current;
    },
    onDidChange: emitter.event,
  };
}

function requireTrust(log: vscode.LogOutputChannel, what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  log.warn(`refused in an untrusted workspace: ${what}`);
  void vscode.window
    .showWarningMessage(
      `Hotloop: ${what} runs code from this workspace, so it needs a trusted workspace. Analysis and lenses keep working without trust.`,
      'Manage Workspace Trust',
    )
    .then((choice) => (choice ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
  return false;
}

/** Builds the services into the extension scope `scope` (disposed on deactivate). */
export function createServices(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  scope: DisposableList,
): Services {
  // dist/extension.js and dist/engine.js sit side by side.
  const dist = __dirname;
  const engine = lazyEngine(dist, log);
  const session = scope.add(new DisposableList());
  const analyses = scope.add(new DocumentAnalyses(engine, log));
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return {
    context,
    log,
    settings: createSettings(log, scope),
    engine,
    analyses,
    requireTrust: (what) => requireTrust(log, what),
    lenses: scope.add(new LensRegistry()),
    heat: scope.add(new HeatRegistry()),
    storage: {
      global: context.globalStorageUri,
      workspace: context.storageUri,
      dotHotloop: folder ? vscode.Uri.joinPath(folder, '.hotloop') : undefined,
      dist,
    },
    session,
    restartSession(reason) {
      log.info(`restarting the analysis session: ${reason}`);
      session.clear();
      analyses.reset();
    },
  };
}
