// Pure mapping from raw configuration values to the typed HotloopSettings (no `vscode` import, so it
// is unit-tested). A value of the wrong type falls back to the default and is reported, never thrown.
import { defaultSettings, type HotloopSettings } from '../core/settings.js';

export type SettingKey = keyof HotloopSettings;

export const settingKeys = Object.keys(defaultSettings) as SettingKey[];

/** The VS Code section all settings live under (`hotloop.codeLens.enabled` …). */
export const settingsSection = 'hotloop';

/** True when `value` has the same JSON shape as the default of `key` (string arrays checked element-wise). */
export function isValidSetting<K extends SettingKey>(key: K, value: unknown): value is HotloopSettings[K] {
  const def: unknown = defaultSettings[key];
  if (Array.isArray(def)) return Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (typeof def === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === typeof def;
}

/**
 * Reads every setting through `get` (e.g. `workspace.getConfiguration('hotloop').get`). Missing or
 * invalid values take the default; `invalid` lists the keys that had a wrong type so the caller can log them.
 */
export function readSettings(get: (key: string) => unknown): {
  settings: HotloopSettings;
  invalid: SettingKey[];
} {
  const settings = { ...defaultSettings };
  const invalid: SettingKey[] = [];
  for (const key of settingKeys) {
    const value = get(key);
    if (value === undefined) continue;
    if (isValidSetting(key, value)) {
      (settings as Record<SettingKey, unknown>)[key] = value;
    } else {
      invalid.push(key);
    }
  }
  if (settings['analysis.maxFiles'] < 1) {
    settings['analysis.maxFiles'] = defaultSettings['analysis.maxFiles'];
    invalid.push('analysis.maxFiles');
  }
  const c = settings['io.concurrency'];
  if (!Number.isInteger(c) || c < 1) {
    settings['io.concurrency'] = defaultSettings['io.concurrency'];
    invalid.push('io.concurrency');
  }
  return { settings, invalid };
}

/** Keys whose value differs between two snapshots (what a settings-change listener reacts to). */
export function changedKeys(before: HotloopSettings, after: HotloopSettings): SettingKey[] {
  return settingKeys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}
