// Hostile `apply` / `undo` on real files (issue 19), run in a child of hostile.test.ts inside a
// scratch workspace (argv[2]) with a sibling "outside" folder (argv[3]) that must stay as it was.
// For each encoding of the source (LF, CRLF, BOM, BOM + CRLF, shebang) and target: the file changed
// since the preview, read-only, a link inside / out of the workspace, deleted, not UTF-8, a FIFO,
// undo after an edit, after a delete, of a read-only file, beside a damaged record. Apply never
// writes over what it did not read, undo refuses clearly when the file changed, and a refused
// operation changes nothing. One JSON line per case: {name, ok, detail}.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { APPLY_DIR, applyFile, undoApply } from '../../src/core/apply/engine.js';

const ws = process.argv[2]!;
const outside = process.argv[3]!;
const emit = (name: string, ok: boolean, detail = ''): void => {
  process.stdout.write(`${JSON.stringify({ name, ok, detail: detail.slice(0, 300) })}\n`);
};
const started = (name: string): void => void process.stderr.write(`case ${name}\n`);

const BODY =
  'export function total(a: number[]): number {\n  let t = 0;\n  for (let i = 0; i < a.length; i++) t += a[i]!;\n  return t;\n}\n';
const ENCODINGS: Record<string, (s: string) => string> = {
  lf: (s) => s,
  crlf: (s) => s.replace(/\n/g, '\r\n'),
  bom: (s) => `\uFEFF${s}`,
  'bom-crlf': (s) => `\uFEFF${s.replace(/\n/g, '\r\n')}`,
  shebang: (s) => `#!/usr/bin/env node\n${s}`,
};
const TARGETS = ['native', 'wasm'] as const;

let n = 0;
/** A fresh workspace with src/s.ts holding `text`. */
function workspace(text: string): { root: string; file: string } {
  const root = join(ws, `w${n++}`);
  mkdirSync(join(root, 'src'), { recursive: true });
  const file = join(root, 'src', 's.ts');
  writeFileSync(file, text);
  return { root, file };
}

const records = (root: string): number => {
  try {
    return readdirSync(join(root, APPLY_DIR)).filter((f) => f.endsWith('.json')).length;
  } catch {
    return 0;
  }
};

/** The shape rules of an applied file: one BOM at 0 (if any), the shebang first, no bare LF in a CRLF file. */
function shapeOk(before: string, after: string): string {
  const problems: string[] = [];
  if (before.startsWith('\uFEFF') && (!after.startsWith('\uFEFF') || after.lastIndexOf('\uFEFF') !== 0))
    problems.push('BOM moved');
  if (!before.startsWith('\uFEFF') && after.includes('\uFEFF')) problems.push('BOM added');
  if (before.replace(/^\uFEFF/, '').startsWith('#!') && !after.replace(/^\uFEFF/, '').startsWith('#!'))
    problems.push('shebang moved');
  if (before.includes('\r\n') && /[^\r]\n/.test(after)) problems.push('bare LF in a CRLF file');
  if (!after.includes('import')) problems.push('no import added');
  return problems.join(', ');
}

type Case = (enc: string, target: (typeof TARGETS)[number]) => Promise<[boolean, string]>;

const CASES: Record<string, Case> = {
  'apply then undo: byte for byte, BOM/shebang/CRLF kept': async (enc, target) => {
    const text = ENCODINGS[enc]!(BODY);
    const { root, file } = workspace(text);
    const r = await applyFile({ root, file, target, outputDir: 'hotloop', functionName: 'total' });
    if (!r.ok) return [false, r.reason];
    const shape = shapeOk(text, readFileSync(file, 'utf8'));
    const u = await undoApply(root);
    const back = readFileSync(file, 'utf8');
    return [!shape && u.ok && back === text && records(root) === 0, `${shape} ${u.ok ? '' : u.reason}`];
  },
  'changed since the preview: the new text is rewritten, not the preview': async (enc, target) => {
    const text = ENCODINGS[enc]!(BODY);
    const { root, file } = workspace(text);
    const base = { root, file, target, outputDir: 'hotloop', functionName: 'total' };
    const preview = await applyFile({ ...base, dryRun: true });
    if (!preview.ok) return [false, preview.reason];
    const edited = `${text}export const edited = 1;\n`;
    writeFileSync(file, edited);
    const r = await applyFile(base);
    const now = readFileSync(file, 'utf8');
    const u = await undoApply(root);
    return [
      r.ok && now.includes('export const edited = 1;') && u.ok && readFileSync(file, 'utf8') === edited,
      r.ok ? (u.ok ? '' : u.reason) : r.reason,
    ];
  },
  'read-only file: refused, unchanged, no record': async (enc, target) => {
    const text = ENCODINGS[enc]!(BODY);
    const { root, file } = workspace(text);
    chmodSync(file, 0o444);
    const r = await applyFile({ root, file, target, outputDir: 'hotloop', functionName: 'total' });
    const same = readFileSync(file, 'utf8') === text && (statSync(file).mode & 0o777) === 0o444;
    return [!r.ok && /read-only/.test(r.reason) && same && records(root) === 0, r.ok ? 'applied' : r.reason];
  },
  'link inside the workspace: written through, still a link; undo restores': async (enc, target) => {
    const text = ENCODINGS[enc]!(BODY);
    const { root, file } = workspace(text);
    const link = join(root, 'src', 'link.ts');
    symlinkSync(file, link);
    const r = await applyFile({ root, file: link, target, outputDir: 'hotloop', functionName: 'total' });
    const isLink = lstatSync(link).isSymbolicLink();
    const changed = readFileSync(file, 'utf8') !== text;
    const u = await undoApply(root);
    return [
      r.ok &&
        isLink &&
        changed &&
        u.ok &&
        lstatSync(link).isSymbolicLink() &&
        readFileSync(file, 'utf8') === text,
      r.ok ? `link ${isLink} changed ${changed} ${u.ok ? '' : u.reason}` : r.reason,
    ];
  },
  'link to a file outside the workspace: refused, nothing written anywhere': async (enc, target) => {
    const text = ENCODINGS[enc]!(BODY);
    const { root } = workspace(text);
    const out = join(outside, `s${n}.ts`);
    writeFileSync(out, text);
    const link = join(root, 'src', 'out.ts');
    symlinkSync(out, link);
    const r = await applyFile({ root, file: link, target, outputDir: 'hotloop', functionName: 'total' });
    const same = readFileSync(out, 'utf8') === text;
    rmSync(out);
    return [
      !r.ok && /outside the workspace/.test(r.reason) && same && !existsSync(join(root, 'hotloop')),
      r.ok ? 'applied' : r.reason,
    ];
  },
  'file deleted before apply: a clear error': async (enc, target) => {
    const { root, file } = workspace(ENCODINGS[enc]!(BODY));
    rmSync(file);
    const r = await applyFile({ root, file, target, outputDir: 'hotloop', functionName: 'total' });
    return [!r.ok && /cannot read .*ENOENT/.test(r.reason) && !existsSync(file), r.ok ? 'applied' : r.reason];
  },
  'undo after an edit: refused, the edit kept': async (enc, target) => {
    const text = ENCODINGS[enc]!(BODY);
    const { root, file } = workspace(text);
    const r = await applyFile({ root, file, target, outputDir: 'hotloop', functionName: 'total' });
    if (!r.ok) return [false, r.reason];
    const edited = `${readFileSync(file, 'utf8')}// my edit\n`;
    writeFileSync(file, edited);
    const u = await undoApply(root);
    return [
      !u.ok &&
        /changed since the rewrite was applied.*nothing was changed/.test(u.reason) &&
        readFileSync(file, 'utf8') === edited &&
        records(root) === 1,
      u.ok ? 'undone over the edit' : u.reason,
    ];
  },
  'undo after the file was deleted: refused clearly': async (enc, target) => {
    const { root, file } = workspace(ENCODINGS[enc]!(BODY));
    const r = await applyFile({ root, file, target, outputDir: 'hotloop', functionName: 'total' });
    if (!r.ok) return [false, r.reason];
    rmSync(file);
    const u = await undoApply(root);
    return [!u.ok && /cannot read .*ENOENT/.test(u.reason) && !existsSync(file), u.ok ? 'undone' : u.reason];
  },
  'undo of a read-only file: refused, unchanged': async (enc, target) => {
    const { root, file } = workspace(ENCODINGS[enc]!(BODY));
    const r = await applyFile({ root, file, target, outputDir: 'hotloop', functionName: 'total' });
    if (!r.ok) return [false, r.reason];
    const applied = readFileSync(file, 'utf8');
    chmodSync(file, 0o444);
    const u = await undoApply(root);
    return [
      !u.ok && /read-only/.test(u.reason) && readFileSync(file, 'utf8') === applied,
      u.ok ? 'undone' : u.reason,
    ];
  },
  'undo beside a damaged record: the good one is undone': async (enc, target) => {
    const text = ENCODINGS[enc]!(BODY);
    const { root, file } = workspace(text);
    const r = await applyFile({ root, file, target, outputDir: 'hotloop', functionName: 'total' });
    if (!r.ok) return [false, r.reason];
    writeFileSync(join(root, APPLY_DIR, '9999-damaged.json'), '{ not json');
    const u = await undoApply(root);
    return [u.ok && readFileSync(file, 'utf8') === text, u.ok ? '' : u.reason];
  },
};

/** Files apply must refuse before reading them whole, and the reason it must give. */
async function specialFiles(): Promise<void> {
  const bad: [string, (root: string, file: string) => void, RegExp][] = [
    [
      'not UTF-8',
      (_, f) => {
        writeFileSync(f, Buffer.from(`// caf\xe9\n${BODY}`, 'latin1'));
      },
      /not valid UTF-8/,
    ],
    ['a FIFO', (_, f) => void spawnSync('mkfifo', [f]), /not a regular file/],
    [
      'a link to /dev/zero',
      (_, f) => {
        symlinkSync('/dev/zero', f);
      },
      /not a regular file/,
    ],
    [
      'a directory',
      (_, f) => {
        mkdirSync(f);
      },
      /not a regular file/,
    ],
    [
      'a dangling link',
      (root, f) => {
        symlinkSync(join(root, 'nowhere.ts'), f);
      },
      /cannot read .*ENOENT/,
    ],
  ];
  for (const [what, make, reason] of bad) {
    const name = `apply to ${what}: refused clearly`;
    started(name);
    const { root, file } = workspace('');
    rmSync(file);
    make(root, file);
    try {
      const r = await applyFile({
        root,
        file,
        target: 'worker',
        outputDir: 'hotloop',
        functionName: 'total',
      });
      emit(
        name,
        !r.ok && reason.test(r.reason) && !existsSync(join(root, 'hotloop')),
        r.ok ? 'applied' : r.reason,
      );
    } catch (e) {
      emit(name, false, `threw ${String(e)}`);
    }
  }
}

async function main(): Promise<void> {
  for (const [what, run] of Object.entries(CASES))
    for (const enc of Object.keys(ENCODINGS))
      for (const target of TARGETS) {
        const name = `apply ${enc} ${target}: ${what}`;
        started(name);
        try {
          const [ok, detail] = await run(enc, target);
          emit(name, ok, detail);
        } catch (e) {
          emit(name, false, `threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
      }
  await specialFiles();
  process.stderr.write('done\n');
}
void main();
