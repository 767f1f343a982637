// The extension as VS Code loads it: activation, the commands it contributes, where it runs.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../../src/extension/commandIds.js';
import { activateHotloop, hotloop, manifest } from './helpers.js';

suite('Activation', () => {
  test('runs in the real Node extension host of the VS Code under test', () => {
    // The driver says which (code-server 4.x.y is VS Code 1.x.y); the pinned one is the engines floor.
    assert.equal(vscode.version, process.env.HOTLOOP_E2E_VSCODE ?? vscode.version);
    assert.match(vscode.version, /^1\.\d+\./);
    assert.equal(vscode.env.uiKind, vscode.UIKind.Web, 'the driver uses the code-server web workbench');
    assert.equal(hotloop().extensionKind, vscode.ExtensionKind.Workspace);
  });

  test('the copy installed from the VSIX is the one under test', function () {
    const expected = process.env.HOTLOOP_E2E_EXTENSION_PATH;
    if (!expected) this.skip(); // run from .vscode-test.mjs: the test CLI loads the folder itself
    assert.equal(hotloop().extensionPath, expected);
    // Installed, not a development extension: a fresh extensions dir holds nothing else of ours.
    assert.ok(!hotloop().extensionPath.includes('/harness'), hotloop().extensionPath);
  });

  test('activates without throwing', async () => {
    const ext = await activateHotloop();
    assert.equal(ext.isActive, true);
  });

  test('every command contributed in package.json is registered', async () => {
    await activateHotloop();
    const contributed = (manifest().contributes.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(
      missing,
      [],
      `contributed in package.json but not registered by activate(): ${missing.join(', ')}`,
    );
  });

  test('every command of the registry (internal ones too) is registered', async () => {
    await activateHotloop();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = COMMAND_IDS.filter((id) => !registered.has(id));
    assert.deepEqual(
      missing,
      [],
      `in src/extension/commandIds.ts but not registered by activate(): ${missing.join(', ')}`,
    );
  });
});
