// Advice in the real extension host: the suggestion lens with a predicted speedup on examples/, and
// applying a scaffolded rewrite to a scratch copy of an example file — the text changes, one `undo`
// gives back the exact original, and a dirty editor is refused with its text untouched.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { activateHotloop, eventually, hotloopLenses, requireWorkspaceFile, workspaceUri } from './helpers.js';

interface Outcome {
  readonly ok: boolean;
  readonly reason?: string;
  readonly localName?: string;
}

const SCRATCH = 'src/adviceScratch.ts';
const LOOP = `${SCRATCH}#sum/0`;

async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Makes the editor's document of `uri` hold `text`, the file just written. A previous test's document
 * of the same path may still be alive (VS Code disposes a closed editor's document lazily, and the
 * file was deleted and written again meanwhile): `openTextDocument` then returns the previous text
 * until the file watcher reloads it — an apply analysing that text finds none of the new code (#16).
 */
async function reloaded(uri: vscode.Uri, text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.getText() === text) return;
  console.log(
    `e2e: ${SCRATCH} was still open with an earlier test's text (v${doc.version}); reloading it from disk`,
  );
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await eventually(
    () => (doc.getText() === text ? true : undefined),
    `${SCRATCH} reloaded from disk`,
    10_000,
  );
  await closeAll();
}

/**
 * Runs `body` on SCRATCH, a fresh copy of src/sensorStats.ts; afterwards closes the editors and removes
 * the copy, and the scaffold folder the test writes unless one was there before (`fresh`: that folder
 * is removed before the test, so the test sees it written).
 */
async function withScratchCopy(
  ctx: Mocha.Context,
  scaffold: { dir: string; fresh?: boolean } | undefined,
  body: (uri: vscode.Uri, scaffoldDir: vscode.Uri | undefined) => Promise<void>,
  append = '',
): Promise<void> {
  const source = requireWorkspaceFile(ctx, 'src/sensorStats.ts');
  const uri = workspaceUri(SCRATCH);
  const scaffoldDir = scaffold ? workspaceUri(scaffold.dir) : undefined;
  const hadScaffold = scaffoldDir !== undefined && existsSync(scaffoldDir.fsPath);
  if (scaffoldDir && scaffold?.fresh) rmSync(scaffoldDir.fsPath, { recursive: true, force: true });
  const text = readFileSync(source.fsPath, 'utf8') + append;
  writeFileSync(uri.fsPath, text);
  await reloaded(uri, text);
  try {
    await body(uri, scaffoldDir);
  } finally {
    await closeAll();
    rmSync(uri.fsPath, { force: true });
    if (scaffoldDir && !hadScaffold) rmSync(scaffoldDir.fsPath, { recursive: true, force: true });
  }
}

suite('Advice', () => {
  test('Advice: a suggestion lens with a predicted speedup appears on src/sensorStats.ts', async function () {
    this.timeout(180_000);
    const uri = requireWorkspaceFile(this, 'src/sensorStats.ts');
    // The first lens request starts the calibration (a worker thread, seconds); the lens refreshes after.
    const lens = await eventually(
      async () => {
        const lenses = await hotloopLenses(uri);
        return lenses.find((l) =>
          /(~[\d.]+× at n≈\S+ \(predicted\)|no rewrite predicted to win at n≈)/.test(l.title),
        );
      },
      'a lens with the advice segment',
      150_000,
    );
    assert.match(lens.title, /\(predicted\)|predicted to win/);
    const all = await hotloopLenses(uri);
    assert.ok(
      all.some((l) => /~[\d.]+× at n≈\S+ \(predicted\)/.test(l.title)),
      `no lens with a predicted speedup:\n${all.map((l) => l.title).join('\n')}`,
    );
  });

  test('Advice: the light bulb offers the predicted winner first, as a refactor.rewrite action', async function () {
    this.timeout(180_000);
    const uri = requireWorkspaceFile(this, 'src/sensorStats.ts');
    const lens = await eventually(
      async () =>
        (await hotloopLenses(uri)).find((l) => /→ \S+ ~[\d.]+× at n≈\S+ \(predicted\)/.test(l.title)),
      'a lens with a predicted win',
      150_000,
    );
    const [, speed] = /→ \S+ ~([\d.]+×) at n≈/.exec(lens.title)!;
    const doc = await vscode.workspace.openTextDocument(uri);
    const at = new vscode.Range(
      lens.line,
      doc.lineAt(lens.line).firstNonWhitespaceCharacterIndex,
      lens.line,
      doc.lineAt(lens.line).firstNonWhitespaceCharacterIndex,
    );
    const actions = await eventually(
      async () => {
        const all =
          (await vscode.commands.executeCommand<vscode.CodeAction[] | undefined>(
            'vscode.executeCodeActionProvider',
            uri,
            at,
            vscode.CodeActionKind.RefactorRewrite.value,
          )) ?? [];
        const mine = all.filter((a) => a.title.startsWith('Hotloop:'));
        return mine.length ? mine : undefined;
      },
      'Hotloop code actions on the loop',
      30_000,
    );
    assert.ok(
      actions[0]!.title.includes(`predicted ${speed!}`),
      `first action "${actions[0]!.title}" should carry the lens's ${speed!} (lens: ${lens.title})`,
    );
    for (const a of actions) {
      assert.match(
        a.title,
        /^Hotloop: (rewrite as \S+|scaffold a \S+ rewrite|pass a Float64Array instead of number\[\]) \(predicted [\d.]+× at n≈/,
      );
      assert.equal(a.kind?.value, vscode.CodeActionKind.RefactorRewrite.value);
    }
    const apply = actions.find((a) => a.command?.command === 'hotloop.applyRewrite');
    if (apply)
      assert.equal(
        (apply.command!.arguments![0] as { documentVersion?: number }).documentVersion,
        doc.version,
      );
  });

  test('Advice: after a benchmark is saved the lens shows measured numbers instead of the prediction', async function () {
    this.timeout(180_000);
    const uri = requireWorkspaceFile(this, 'src/sensorStats.ts');
    await eventually(
      async () =>
        (await hotloopLenses(uri)).find(
          (l) =>
            l.text.includes('for (let i = 0; i < xs.length; i++)') &&
            /\(predicted\)|predicted to win/.test(l.title),
        ),
      'the predicted lens',
      150_000,
    );
    const dir = workspaceUri('.hotloop/results/sum');
    const file = vscode.Uri.joinPath(dir, 'advice-e2e.json');
    mkdirSync(dir.fsPath, { recursive: true });
    const timing = (median: number): object => ({
      median,
      mad: 1,
      ci: { low: median - 1, high: median + 1 },
      ciHalfWidthPct: 1,
      samples: [median],
      batch: 1,
      noisy: false,
    });
    writeFileSync(
      file.fsPath,
      JSON.stringify({
        schemaVersion: 1,
        kind: 'bench',
        id: 'advice-e2e',
        kernel: 'sum',
        createdAt: '2099-01-01T00:00:00.000Z',
        n: 5000,
        seed: 1,
        machine: {
          cpu: 'e2e',
          cores: 2,
          simd: 'avx2',
          node: process.version,
          v8: process.versions.v8,
          platform: process.platform,
          arch: process.arch,
          memoryGiB: 1,
        },
        reference: 'original',
        variants: [
          {
            id: 'original',
            label: 'original',
            input: 'typed',
            correctness: { status: 'ok', maxError: 0, tolerance: 0 },
            timing: timing(1400),
          },
          {
            id: 'native',
            label: 'native',
            input: 'typed',
            correctness: { status: 'ok', maxError: 0, tolerance: 0 },
            timing: timing(1000),
          },
        ],
        verdicts: [
          {
            variant: 'native',
            reference: 'original',
            ratio: 1.4,
            ci: { low: 1.3, high: 1.5 },
            verdict: 'faster',
            text: '',
          },
        ],
        winner: 'native',
        source: { file: 'src/sensorStats.ts', line: 14 },
        notes: [],
      }),
    );
    try {
      const measured = await eventually(
        async () =>
          (await hotloopLenses(uri)).find((l) => l.title.includes('native 1.4× measured (n=5,000)')),
        'the measured lens',
        30_000,
      );
      assert.doesNotMatch(measured.title, /\(predicted\)/);
      assert.match(measured.text, /for \(let i = 0; i < xs\.length; i\+\+\)/);
    } finally {
      rmSync(file.fsPath, { force: true });
    }
    await eventually(
      async () =>
        (await hotloopLenses(uri)).some((l) => l.title.includes('measured (n=5,000)')) ? undefined : true,
      'the prediction back after the result is gone',
      30_000,
    );
  });

  test('Advice: apply a scaffolded native rewrite, then one undo restores the file exactly', async function () {
    this.timeout(180_000);
    await withScratchCopy(this, { dir: 'hotloop/sum-native' }, async (uri, dir) => {
      const scaffoldDir = dir!;
      await activateHotloop();
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const before = doc.getText();
      const scaffolded = await vscode.commands.executeCommand<Outcome>('hotloop.scaffold', {
        uri,
        loopId: LOOP,
        target: 'native',
        preview: false,
      });
      assert.ok(scaffolded.ok, scaffolded.reason);
      await eventually(
        () => (existsSync(vscode.Uri.joinPath(scaffoldDir, 'index.ts').fsPath) ? true : undefined),
        'the wrapper index.ts',
        10_000,
      );
      assert.ok(
        existsSync(vscode.Uri.joinPath(scaffoldDir, 'original.ts').fsPath),
        'original.ts keeps the original',
      );

      const applied = await vscode.commands.executeCommand<Outcome>('hotloop.applyRewrite', {
        uri,
        loopId: LOOP,
        target: 'native',
        preview: false,
        scaffold: false,
        documentVersion: doc.version,
      });
      assert.ok(applied.ok, applied.reason);
      const after = doc.getText();
      assert.notEqual(after, before);
      assert.match(after, /import \{ sum as sumNative \} from '\.\.\/hotloop\/sum-native\/index\.js';/);
      assert.match(
        after,
        /export function sum\(xs: Float64Array\): number \{\n\s+\/\/ Hotloop: native rewrite[^\n]*\n\s+return sumNative\(xs\);\n\}/,
      );
      assert.match(
        after,
        /export function variance\(xs: Float64Array\): number \{\n\s+const m = mean\(xs\);/,
        'other functions untouched',
      );

      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('undo');
      await eventually(
        () => (doc.getText() === before ? true : undefined),
        'one undo to restore the original',
        10_000,
      );
      assert.equal(doc.getText(), before);
      assert.equal(doc.isDirty, false, 'back at the saved text');
    });
  });

  test('Advice: apply without a scaffold yet scaffolds it first (the light bulb path), and undo still restores the file', async function () {
    this.timeout(180_000);
    await withScratchCopy(this, { dir: 'hotloop/variance-wasm', fresh: true }, async (uri, dir) => {
      const scaffoldDir = dir!;
      await activateHotloop();
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const before = doc.getText();
      const applied = await vscode.commands.executeCommand<Outcome & { scaffolded?: boolean }>(
        'hotloop.applyRewrite',
        {
          uri,
          loopId: `${SCRATCH}#variance/0`,
          target: 'wasm',
          preview: false,
          documentVersion: doc.version,
        },
      );
      assert.ok(applied.ok, applied.reason);
      assert.equal(applied.scaffolded, true);
      assert.ok(
        existsSync(vscode.Uri.joinPath(scaffoldDir, 'index.ts').fsPath),
        'the wasm scaffold was written',
      );
      assert.match(
        doc.getText(),
        /import \{ variance as varianceWasm \} from '\.\.\/hotloop\/variance-wasm\/index\.js';/,
      );
      assert.match(doc.getText(), /return varianceWasm\(xs\);/);
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('undo');
      await eventually(
        () => (doc.getText() === before ? true : undefined),
        'one undo to restore the original',
        10_000,
      );
    });
  });

  // The only test whose scratch text differs from the earlier ones' (it appends `energy`): before
  // `reloaded`, the document the earlier tests left open still held their text, so the command
  // analysed that and found no 'src/adviceScratch.ts#energy/0' (#16).
  test('Advice: apply extracts a loop that is only part of its function, and one undo restores the file', async function () {
    this.timeout(180_000);
    // A guard before the loop and a log after it: the loop is extracted into its own function first.
    const energy = [
      '',
      'export function energy(xs: Float64Array, scale: number): number {',
      '  if (xs.length === 0) return 0;',
      '  let acc = 0;',
      '  for (let i = 0; i < xs.length; i++) {',
      '    acc += xs[i] * xs[i] * scale;',
      '  }',
      "  console.log('energy', acc);",
      '  return acc;',
      '}',
      '',
    ].join('\n');
    await withScratchCopy(
      this,
      { dir: 'hotloop/energy_loop0-wasm', fresh: true },
      async (uri) => {
        await activateHotloop();
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc);
        const before = doc.getText();
        assert.ok(before.includes('export function energy('), 'the editor holds the text just written');
        const applied = await vscode.commands.executeCommand<Outcome>('hotloop.applyRewrite', {
          uri,
          loopId: `${SCRATCH}#energy/0`,
          target: 'wasm',
          preview: false,
          documentVersion: doc.version,
        });
        assert.ok(applied.ok, applied.reason);
        const after = doc.getText();
        // The guard and the log stay; the loop statement is one assignment of the live-out.
        assert.match(
          after,
          /if \(xs\.length === 0\) return 0;\n {2}let acc = 0;\n {2}acc = energy_loop0\(xs, scale, acc\);\n {2}console\.log\('energy', acc\);/,
        );
        assert.match(
          after,
          /function energy_loop0\(xs: Float64Array, scale: number, acc: number\): number \{/,
        );
        assert.match(
          after,
          /import \{ energy_loop0 as energy_loop0Wasm \} from '\.\.\/hotloop\/energy_loop0-wasm\/index\.js';/,
        );
        assert.equal(after.includes('acc += xs[i] * xs[i] * scale;'), false, 'the loop left energy');
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('undo');
        await eventually(
          () => (doc.getText() === before ? true : undefined),
          'one undo to restore the original',
          10_000,
        );
        assert.equal(doc.getText(), before);
      },
      energy,
    );
  });

  test('Advice: applying in a dirty editor (or on a stale version) is refused and changes nothing', async function () {
    this.timeout(120_000);
    await withScratchCopy(this, undefined, async (uri) => {
      const source = requireWorkspaceFile(this, 'src/sensorStats.ts');
      await activateHotloop();
      const doc = await vscode.workspace.openTextDocument(uri);
      const staleVersion = doc.version;
      const editor = await vscode.window.showTextDocument(doc);
      assert.ok(
        await editor.edit((b) => {
          b.insert(new vscode.Position(doc.lineCount, 0), '// typed, not saved\n');
        }),
      );
      assert.ok(doc.isDirty);
      const dirtyText = doc.getText();
      const refused = await vscode.commands.executeCommand<Outcome>('hotloop.applyRewrite', {
        uri,
        loopId: LOOP,
        target: 'native',
        preview: false,
      });
      assert.equal(refused.ok, false);
      assert.match(refused.reason ?? '', /unsaved changes/);
      assert.equal(doc.getText(), dirtyText);
      assert.equal(
        readFileSync(uri.fsPath, 'utf8'),
        readFileSync(source.fsPath, 'utf8'),
        'the file on disk is untouched',
      );

      await doc.save();
      const stale = await vscode.commands.executeCommand<Outcome>('hotloop.applyRewrite', {
        uri,
        loopId: LOOP,
        target: 'native',
        preview: false,
        documentVersion: staleVersion,
      });
      assert.equal(stale.ok, false);
      assert.match(stale.reason ?? '', /changed since it was analysed/);
      assert.equal(doc.getText(), dirtyText);
    });
  });

  test('Advice @untrusted: applying a rewrite is refused in an untrusted workspace and changes nothing', async function () {
    this.timeout(60_000);
    const uri = requireWorkspaceFile(this, 'src/sensorStats.ts');
    await activateHotloop();
    const doc = await vscode.workspace.openTextDocument(uri);
    const before = doc.getText();
    const refused = await vscode.commands.executeCommand<Outcome>('hotloop.applyRewrite', {
      uri,
      loopId: 'src/sensorStats.ts#sum/0',
      target: 'native',
      preview: false,
    });
    assert.equal(refused.ok, false);
    assert.match(refused.reason ?? '', /not trusted/);
    assert.equal(doc.getText(), before);
    assert.equal(existsSync(workspaceUri('hotloop/sum-native').fsPath), false, 'nothing was scaffolded');
    await closeAll();
  });
});
