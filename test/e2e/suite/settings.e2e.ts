// The settings interface as VS Code sees it: package.json's schema, VS Code's defaults and the
// engine's `HotloopSettings` defaults must agree (the unit test checks the files; this checks the host).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { defaultSettings } from '../../../src/core/settings.js';
import { activateHotloop, manifest } from './helpers.js';

suite('Settings', () => {
  test('VS Code knows every hotloop.* setting with the default from package.json and from HotloopSettings', async () => {
    await activateHotloop();
    const props = manifest().contributes.configuration?.properties ?? {};
    const keys = Object.keys(props).map((k) => k.replace(/^hotloop\./, ''));
    assert.ok(keys.length > 0, 'package.json contributes no hotloop.* settings');
    assert.deepEqual(
      [...keys].sort(),
      Object.keys(defaultSettings).sort(),
      'package.json vs HotloopSettings keys',
    );
    const config = vscode.workspace.getConfiguration('hotloop');
    for (const key of keys) {
      const spec = props[`hotloop.${key}`];
      assert.ok(spec?.markdownDescription, `hotloop.${key} has no markdownDescription`);
      assert.deepEqual(
        config.inspect(key)?.defaultValue,
        spec.default,
        `VS Code's default of hotloop.${key}`,
      );
      assert.deepEqual(
        config.get(key),
        (defaultSettings as unknown as Record<string, unknown>)[key],
        `hotloop.${key}`,
      );
    }
  });
});
