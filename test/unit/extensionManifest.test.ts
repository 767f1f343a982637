// package.json's contributions and the command registry agree: every contributed command is in the
// registry (src/extension/commandIds.ts) and every registry command marked contributed is in
// package.json; every menu/welcome link names a contributed command. (The e2e suite checks that
// every registry id is registered in a running VS Code.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, COMMAND_IDS } from '../../src/extension/commandIds.js';

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
    walkthroughs?: {
      id: string;
      title: string;
      steps: {
        id: string;
        title: string;
        description: string;
        media: { image?: string; markdown?: string; altText?: string };
        completionEvents?: string[];
      }[];
    }[];
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

test('the contributed commands are exactly the registry commands marked contributed, in the Hotloop category', () => {
  for (const c of manifest.contributes.commands)
    assert.equal(c.category, 'Hotloop', `${c.command} needs category "Hotloop"`);
  const contributed = manifest.contributes.commands.map((c) => c.command).sort();
  const registry = COMMAND_IDS.filter((id) => COMMANDS[id].contributed).sort();
  assert.deepEqual(contributed, registry);
  assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
});

test('no source under src/extension registers a command outside the registry', () => {
  const direct = [...extensionSource.matchAll(/commands\.registerCommand\(([^,]+),/g)].map((m) => m[1]);
  assert.deepEqual(
    direct,
    ['id'],
    'only commandRegistry.ts calls vscode.commands.registerCommand (with its typed id)',
  );
});

test('the built-in commands and the Hot loops view are contributed', () => {
  const ids = manifest.contributes.commands.map((c) => c.command);
  for (const id of [
    'hotloop.analyzeFile',
    'hotloop.showHotLoops',
    'hotloop.showLog',
    'hotloop.refreshHotLoops',
  ])
    assert.ok(ids.includes(id), id);
  const views = Object.values(manifest.contributes.views)
    .flat()
    .map((v) => v.id);
  assert.ok(views.includes('hotloop.hotLoops'));
  assert.match(extensionSource, /hotLoopsViewId = 'hotloop\.hotLoops'/);
});

test('menus and welcome links point at contributed commands and views', () => {
  const ids = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const items of Object.values(manifest.contributes.menus ?? {})) {
    for (const item of items)
      assert.ok(ids.has(item.command), `menu item ${item.command} is not a contributed command`);
  }
  const views = new Set(
    Object.values(manifest.contributes.views)
      .flat()
      .map((v) => v.id),
  );
  for (const w of manifest.contributes.viewsWelcome ?? []) {
    assert.ok(views.has(w.view), w.view);
    for (const m of w.contents.matchAll(/\(command:([\w.]+)\)/g))
      assert.ok(ids.has(m[1]!), `welcome link ${m[1]}`);
  }
});

test('the manifest points at the thin bundle and declares limited untrusted-workspace support', () => {
  assert.equal(manifest.main, './dist/extension.js');
  assert.equal(manifest.capabilities?.untrustedWorkspaces?.supported, 'limited');
});

test('the walkthrough: every step links a contributed command, completes on it, and shows a picture the VSIX ships', () => {
  const walks = manifest.contributes.walkthroughs ?? [];
  assert.equal(walks.length, 1, 'one getting-started walkthrough');
  const commands = new Set(manifest.contributes.commands.map((c) => c.command));
  const shipped = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
  const steps = walks[0]!.steps;
  assert.ok(steps.length >= 5, 'open, lenses, profile, scaffold, benchmark');
  for (const s of steps) {
    const links = [...s.description.matchAll(/\]\(command:([\w.]+)\)/g)].map((m) => m[1]!);
    assert.ok(links.length > 0, `${s.id}: a command link`);
    for (const l of links) assert.ok(commands.has(l), `${s.id}: ${l} is a contributed command`);
    assert.ok(
      (s.completionEvents ?? []).some((e) => links.some((l) => e === `onCommand:${l}`)),
      `${s.id}: completes when its command runs`,
    );
    const image = s.media.image;
    assert.ok(image && s.media.altText, `${s.id}: an image with alt text`);
    assert.ok(statSync(join(root, image)).size > 1000, `${s.id}: ${image} exists`);
    const dir = image.split('/')[0]!;
    assert.ok(
      shipped.some((l) => l === `!${image}` || l === `!${dir}/*.png` || l === `!${dir}/**`),
      `${s.id}: ${image} is packaged (.vscodeignore)`,
    );
  }
});
