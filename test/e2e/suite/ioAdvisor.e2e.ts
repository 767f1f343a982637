// The IO advisor in the real extension host: on the awaiting loop of examples/advisors/io/quotes.ts
// (a scratch copy) the light bulb offers "run the awaits concurrently" and nothing else; applying it
// rewrites the loop and appends the helper once; one undo gives back the original text.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { eventually, hotloopLenses, requireWorkspaceFile, workspaceUri } from './helpers.js';

const SCRATCH = 'advisors/io/quotesScratch.ts';

suite('IO advisor', () => {
  test('IO advisor: an awaiting loop gets the concurrency rewrite as its only light-bulb action', async function () {
    this.timeout(120_000);
    const source = requireWorkspaceFile(this, 'advisors/io/quotes.ts');
    const uri = workspaceUri(SCRATCH);
    const original = readFileSync(source.fsPath, 'utf8');
    writeFileSync(uri.fsPath, original);
    let step = 'lenses';
    try {
      await hotloopLenses(uri); // the lens request runs the analysis the action provider reads
      const doc = await vscode.workspace.openTextDocument(uri);
      const line = original.split('\n').findIndex((l) => l.includes('for (const id of ids)'));
      assert.ok(line > 0);
      const at = new vscode.Range(line, 4, line, 4);
      step = 'code actions';
      const actions = await eventually(
        async () => {
          // A request can be cancelled while the new file settles in the workbench: ask again.
          let all: vscode.CodeAction[];
          try {
            all =
              (await vscode.commands.executeCommand<vscode.CodeAction[] | undefined>(
                'vscode.executeCodeActionProvider',
                uri,
                at,
                vscode.CodeActionKind.RefactorRewrite.value,
              )) ?? [];
          } catch {
            return undefined;
          }
          const mine = all.filter((a) => a.title.startsWith('Hotloop:'));
          return mine.length ? mine : undefined;
        },
        'Hotloop code actions on the awaiting loop',
        60_000,
      );
      assert.deepEqual(
        actions.map((a) => a.title),
        ['Hotloop: run the awaits concurrently (at most 8 in flight, results in order)'],
      );
      const edit = actions[0]!.edit;
      assert.ok(edit, 'the action carries its edit');
      step = 'apply';
      assert.ok(await vscode.workspace.applyEdit(edit));
      const text = doc.getText();
      assert.match(text, /for \(const outcome0 of await hotloopMapInOrder\(ids, 8, async \(id\) => \{/);
      assert.equal(text.match(/async function hotloopMapInOrder/g)?.length, 1);
      step = 'undo';
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('undo');
      assert.equal(doc.getText(), original);
    } catch (e) {
      throw new Error(`at step ${step}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(uri.fsPath, { force: true });
    }
  });
});
