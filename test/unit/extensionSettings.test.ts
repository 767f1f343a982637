import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultSettings } from '../../src/core/settings.js';
import { changedKeys, isValidSetting, readSettings, settingKeys } from '../../src/extension/settingsModel.js';

test('missing values take the defaults', () => {
  const { settings, invalid } = readSettings(() => undefined);
  assert.deepEqual(settings, defaultSettings);
  assert.deepEqual(invalid, []);
});

test('valid values are taken, values of the wrong type fall back to the default and are reported', () => {
  const raw: Record<string, unknown> = {
    'codeLens.enabled': false,
    'codeLens.showNotTranslatable': 'no',
    'analysis.exclude': ['**/gen/**', 3],
    'analysis.maxFiles': 10,
  };
  const { settings, invalid } = readSettings((k) => raw[k]);
  assert.equal(settings['codeLens.enabled'], false);
  assert.equal(settings['codeLens.showNotTranslatable'], defaultSettings['codeLens.showNotTranslatable']);
  assert.deepEqual(settings['analysis.exclude'], defaultSettings['analysis.exclude']);
  assert.equal(settings['analysis.maxFiles'], 10);
  assert.deepEqual(invalid.sort(), ['analysis.exclude', 'codeLens.showNotTranslatable']);
});

test('maxFiles below 1 or NaN falls back to the default', () => {
  assert.equal(
    readSettings((k) => (k === 'analysis.maxFiles' ? 0 : undefined)).settings['analysis.maxFiles'],
    2000,
  );
  assert.equal(isValidSetting('analysis.maxFiles', Number.NaN), false);
});

test('changedKeys compares values, arrays by content', () => {
  const next = {
    ...defaultSettings,
    'analysis.exclude': [...defaultSettings['analysis.exclude']],
    'codeLens.enabled': false,
  };
  assert.deepEqual(changedKeys(defaultSettings, next), ['codeLens.enabled']);
});

test('the keys read are exactly the hotloop.* settings package.json contributes', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, unknown> } };
  };
  assert.deepEqual(
    [...settingKeys].sort(),
    Object.keys(manifest.contributes.configuration.properties)
      .map((k) => k.replace(/^hotloop\./, ''))
      .sort(),
  );
});
