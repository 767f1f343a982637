import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultSettings } from '../../src/core/settings.js';

interface ManifestProperty {
  default?: unknown;
  markdownDescription?: string;
  type?: string | string[];
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, ManifestProperty> } };
};
const properties = manifest.contributes.configuration.properties;

test('every hotloop.* setting in package.json is in the HotloopSettings interface, with the same default', () => {
  const manifestKeys = Object.keys(properties)
    .map((k) => k.replace(/^hotloop\./, ''))
    .sort();
  assert.deepEqual(manifestKeys, Object.keys(defaultSettings).sort());
  for (const [key, value] of Object.entries(defaultSettings)) {
    assert.deepEqual(properties[`hotloop.${key}`]?.default, value, `default of hotloop.${key}`);
  }
});

test('every setting has a markdownDescription and a type', () => {
  for (const [key, prop] of Object.entries(properties)) {
    assert.ok(
      prop.markdownDescription && prop.markdownDescription.length > 10,
      `${key} needs a markdownDescription`,
    );
    assert.ok(prop.type, `${key} needs a type`);
  }
});
