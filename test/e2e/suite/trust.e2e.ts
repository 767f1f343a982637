// Workspace trust. These tests run in a second window whose workspace is NOT trusted (code-server
// started with trust enabled and no trusted folders); `@untrusted` in the title sends them there.
// Analysis must still work there; nothing may execute workspace code.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { activateHotloop, eventually, hotloopLenses, manifest, requireWorkspaceFile, workspaceUri } from './helpers.js';

/**
 * Commands that run workspace code (profile, build, benchmark). Each gets the marker script as its
 * argument; in an untrusted window it must refuse. Add yours here when you add such a command.
 */
const EXECUTING_COMMANDS = ['hotloop.profile', 'hotloop.profileFile', 'hotloop.benchmark', 'hotloop.scaffold.build'];

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
    const uri = requireWorkspaceFile(this, 'src/sensorStats.ts');
    const lenses = await eventually(async () => {
      const l = await hotloopLenses(uri);
      return l.length ? l : undefined;
    }, 'lenses in an untrusted window');
    assert.ok(lenses.some((l) => l.title.startsWith('Hotloop: ')));
  });

  test('commands that execute workspace code refuse (a marker script is never run)', async function () {
    const registered = new Set(await vscode.commands.getCommands(true));
    const present = EXECUTING_COMMANDS.filter((id) => registered.has(id));
    if (present.length === 0) this.skip(); // none of them exists yet: nothing can execute code
    const marker = workspaceUri('hotloop-e2e-marker.txt').fsPath;
    const script = workspaceUri('hotloopE2eMarker.mjs');
    writeFileSync(script.fsPath, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\n`);
    for (const id of present) {
      // Refusing may mean an error message, a rejected promise, or a modal trust request that waits
      // for a user; give each 5 s, then check that nothing ran.
      await Promise.race([
        Promise.resolve(vscode.commands.executeCommand(id, script)).catch(() => undefined),
        new Promise((r) => setTimeout(r, 5000)),
      ]);
      assert.equal(existsSync(marker), false, `${id} ran workspace code in an untrusted window`);
    }
  });
});
