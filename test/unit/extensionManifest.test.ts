// package.json's contributions and the extension's sources agree: every contributed command is
// registered somewhere under src/extension, every menu/welcome link names a contributed command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

interface Manifest {
  main: string;
  activationEvents?: string[];
  capabilities?: { untrustedWorkspaces?: { supported: unknown } };
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    views: Record<string, { id: string }[]>;
    menus?: Record<string, { command: string }[]>;
    viewsWelcome?: { view: string; contents: string }[];
  };
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

function sources(dir: string): string {
  let text = '';
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) text += sources(p);
    else if (p.endsWith('.ts')) text += readFileSync(p, 'utf8');
  }
  return text;
}
const extensionSource = sources(join(root, 'src/extension'));

test('every contributed command is in the Hotloop category and registered in src/extension', () => {
  for (const c of manifest.contributes.commands) {
    assert.equal(c.category, 'Hotloop', `${c.command} needs category "Hotloop"`);
    assert.ok(extensionSource.includes(`'${c.command}'`), `${c.command} is contributed but no source under src/extension names it`);
  }
});

test('the built-in commands and the Hot loops view are contributed', () => {
  const ids = manifest.contributes.commands.map((c) => c.command);
  for (const id of ['hotloop.analyzeFile', 'hotloop.showHotLoops', 'hotloop.showLog', 'hotloop.refreshHotLoops']) assert.ok(ids.includes(id), id);
  const views = Object.values(manifest.contributes.views).flat().map((v) => v.id);
  assert.ok(views.includes('hotloop.hotLoops'));
  assert.match(extensionSource, /hotLoopsViewId = 'hotloop\.hotLoops'/);
});

test('menus and welcome links point at contributed commands and views', () => {
  const ids = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const items of Object.values(manifest.contributes.menus ?? {})) {
    for (const item of items) assert.ok(ids.has(item.command), `menu item ${item.command} is not a contributed command`);
  }
  const views = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));
  for (const w of manifest.contributes.viewsWelcome ?? []) {
    assert.ok(views.has(w.view), w.view);
    for (const m of w.contents.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(ids.has(m[1]!), `welcome link ${m[1]}`);
  }
});

test('the manifest points at the thin bundle and declares limited untrusted-workspace support', () => {
  assert.equal(manifest.main, './dist/extension.js');
  assert.equal(manifest.capabilities?.untrustedWorkspaces?.supported, 'limited');
});
