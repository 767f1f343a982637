// Workspace trust. The `@untrusted` suite runs in a second window whose workspace is NOT trusted
// (code-server started with trust enabled and no trusted folders): analysis must still work there and
// nothing may execute workspace code. The control test (trusted window) shows the marker check can fail.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { HotloopApi } from '../../../src/extension/extension.js';
import {
  activateHotloop,
  eventually,
  hotloop,
  hotloopLenses,
  manifest,
  requireWorkspaceFile,
  workspaceUri,
} from './helpers.js';

/**
 * Commands that run workspace code (profile, build, benchmark). Each gets the marker script as its
 * argument; in an untrusted window it must refuse. Add yours here when you add such a command.
 */
const EXECUTING_COMMANDS = [
  'hotloop.profile',
  'hotloop.benchmark',
  'hotloop.reproduceTalkTable',
  'hotloop.scaffold',
  'hotloop.saveBaseline',
  'hotloop.compareBeforeAfter',
  'hotloop.buildScaffold',
  'hotloop.applyRewrite',
];

/** A script that leaves a marker file when something runs it; returns both paths. */
function markerScript(): { script: vscode.Uri; marker: string } {
  const marker = workspaceUri('hotloop-e2e-marker.txt').fsPath;
  const script = workspaceUri('hotloopE2eMarker.mjs');
  writeFileSync(
    script.fsPath,
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\n`,
  );
  return { script, marker };
}

/** Runs a command; 'blocked' when it has not settled after `ms` (e.g. it waits in a quick pick). */
async function runFor(id: string, arg: unknown, ms: number): Promise<'settled' | 'blocked'> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    Promise.resolve(vscode.commands.executeCommand(id, arg)).then(
      () => 'settled' as const,
      () => 'settled' as const,
    ),
    new Promise<'blocked'>(
      (r) =>
        (timer = setTimeout(() => {
          r('blocked');
        }, ms)),
    ),
  ]);
  clearTimeout(timer);
  return outcome;
}

/**
 * Records every trust check: wraps `services.requireTrust` (activate() returns { services }; features
 * look the function up at call time). The real check still runs; this only watches it.
 */
function watchTrustChecks(): { what: string; allowed: boolean }[] {
  const services = (hotloop().exports as HotloopApi | undefined)?.services;
  const original = services?.requireTrust.bind(services);
  if (!services || !original)
    throw new Error("activate() no longer returns { services } with requireTrust(); update this test's hook");
  const seen: { what: string; allowed: boolean }[] = [];
  services.requireTrust = (what: string): boolean => {
    const allowed = original(what);
    seen.push({ what, allowed });
    return allowed;
  };
  return seen;
}

suite('Workspace trust', () => {
  test('control: in a trusted window hotloop.profile does run the marker script', async function () {
    if (!(await vscode.commands.getCommands(true)).includes('hotloop.profile')) this.skip();
    await activateHotloop();
    const { script, marker } = markerScript();
    assert.equal(
      await runFor('hotloop.profile', script, 120_000),
      'settled',
      'hotloop.profile did not finish in 120 s',
    );
    assert.ok(
      existsSync(marker),
      'profiling the marker script did not run it: the untrusted check below proves nothing',
    );
  });
});

suite('Untrusted workspace @untrusted', () => {
  test('the window is really untrusted and the manifest declares limited support', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(manifest().capabilities?.untrustedWorkspaces?.supported, 'limited');
  });

  test('the extension activates in restricted mode', async () => {
    const ext = await activateHotloop();
    assert.equal(ext.isActive, true);
  });

  test('analysis still works: lenses in sensorStats.ts', async function () {
    // The untrusted window's first engine load happens here: allow a loaded machine its time.
    this.timeout(180_000);
    const uri = requireWorkspaceFile(this, 'src/sensorStats.ts');
    const lenses = await eventually(
      async () => {
        const l = await hotloopLenses(uri);
        return l.length ? l : undefined;
      },
      'lenses in an untrusted window',
      150_000,
    );
    assert.ok(lenses.some((l) => l.title.startsWith('Hotloop: ')));
  });

  test('commands that execute workspace code refuse, and the marker script never runs', async function () {
    await activateHotloop();
    const registered = new Set(await vscode.commands.getCommands(true));
    const present = EXECUTING_COMMANDS.filter((id) => registered.has(id));
    if (present.length === 0) this.skip(); // none of them exists yet: nothing can execute code
    const { script, marker } = markerScript();
    const checks = watchTrustChecks();
    for (const id of present) {
      const before = checks.length;
      const outcome = await runFor(id, script, 10_000);
      // A command may first ask what to run (hotloop.benchmark opens a quick pick): dismiss it.
      if (outcome === 'blocked') await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.equal(existsSync(marker), false, `${id} ran workspace code in an untrusted window`);
      const mine = checks.slice(before);
      assert.ok(
        mine.every((c) => !c.allowed),
        `${id}: requireTrust allowed ${JSON.stringify(mine)} in an untrusted window`,
      );
      if (outcome === 'settled')
        assert.ok(mine.length > 0, `${id} returned without asking services.requireTrust()`);
    }
  });
});
