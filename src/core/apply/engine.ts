// The apply engine shared by `hotloop apply` and the VS Code command: pick the loop, plan the
// scaffold (its folder, wrapper and async-ness), plan the text edits (extracting a loop that is only
// part of its function), and — unless dry-run — write the file and a reverse patch under
// `.hotloop/apply/`, from which `undoApply` restores the file byte for byte.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { analyzeSource } from '../analysis/index.js';
import type { LoopFacts } from '../analysis/types.js';
import {
  applyTextEdits,
  inverseTextEdits,
  planApply,
  textHash,
  wrapperImportPath,
  type TextEdit,
} from '../advice/apply.js';
import { planScaffold, writeScaffold } from '../scaffold/index.js';
import type { PlannedFile, ScaffoldPlan, TargetName } from '../scaffold/types.js';
import { unifiedDiff } from './diff.js';

/** Where reverse patches are kept, relative to the workspace root. */
export const APPLY_DIR = join('.hotloop', 'apply');

export interface ApplyFileRequest {
  readonly root: string;
  /** Absolute path of the source file. */
  readonly file: string;
  readonly loopId?: string;
  readonly functionName?: string;
  readonly target: TargetName;
  /** Scaffold output folder relative to the root (`hotloop`). */
  readonly outputDir: string;
  readonly dryRun?: boolean;
  /** Write the scaffold folder first when its wrapper is missing (default true). */
  readonly scaffold?: boolean;
}

/** One saved reverse patch: the edits that turn the applied file back into the original. */
export interface ApplyRecord {
  readonly schemaVersion: 1;
  readonly kind: 'apply';
  readonly id: string;
  readonly createdAt: string;
  /** Relative to the root, `/`-separated. */
  readonly file: string;
  readonly loopId: string;
  readonly target: TargetName;
  readonly scaffoldDir: string;
  readonly beforeSha256: string;
  readonly afterSha256: string;
  /** Offsets into the applied text (UTF-16 units of the UTF-8-decoded file). */
  readonly inverse: readonly TextEdit[];
  readonly diff: string;
}

export type ApplyFileResult =
  | {
      readonly ok: true;
      readonly diff: string;
      readonly summary: string;
      readonly scaffoldDir: string;
      readonly scaffolded: boolean;
      readonly record?: string;
    }
  | { readonly ok: false; readonly reason: string };

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const rel = (root: string, p: string): string => relative(root, p).split(sep).join('/');

const MAX_EDIT_BYTES = 64 * 2 ** 20;

/** The file as text, refusing what would not write back byte for byte (not UTF-8). */
export async function readExact(file: string): Promise<{ bytes: Buffer; text: string } | string> {
  let bytes: Buffer;
  try {
    // Not a FIFO or a device (a read that never ends), nor a file no editor would call source.
    const st = await stat(file);
    if (!st.isFile()) return `${file} is not a regular file: Hotloop only edits source files`;
    if (st.size > MAX_EDIT_BYTES)
      return `${file} is ${(st.size / 2 ** 20).toFixed(0)} MB: Hotloop edits source files up to ${MAX_EDIT_BYTES / 2 ** 20} MB`;
    bytes = await readFile(file);
  } catch (err) {
    return `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`;
  }
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes))
    return `${file} is not valid UTF-8: Hotloop only edits files it can write back byte for byte`;
  return { bytes, text };
}

/**
 * The real path to write `file` through, or why not (nothing is changed then): a file, or a link
 * whose target, is outside the workspace; a read-only file (a rename would replace it silently).
 */
async function writablePath(root: string, file: string): Promise<{ real: string } | string> {
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
  } catch (err) {
    return `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`;
  }
  const r = relative(realRoot, real);
  if (r === '' || r === '..' || r.startsWith(`..${sep}`) || isAbsolute(r)) {
    const link = (await lstat(file)).isSymbolicLink() ? ` (a link to ${real})` : '';
    return `${file}${link} is outside the workspace ${root}: Hotloop does not write there (nothing was changed)`;
  }
  if (((await stat(real)).mode & 0o222) === 0)
    return `${file} is read-only: make it writable first (nothing was changed)`;
  return { real };
}

/** Writes through a temporary file + rename next to the real file (a link stays a link), keeping its mode. */
async function writeAtomic(file: string, text: string): Promise<void> {
  const mode = (await stat(file)).mode;
  const tmp = `${file}.hotloop-tmp-${process.pid}`;
  await writeFile(tmp, text, { encoding: 'utf8', mode });
  await rename(tmp, file);
}

function pickLoop(
  loops: readonly LoopFacts[],
  id: string | undefined,
  fn: string | undefined,
): LoopFacts | string {
  const ok = loops.filter((l) => l.kernel);
  const list = ok.map((l) => `  ${l.id}`).join('\n') || '  (none)';
  const found = id
    ? ok.find((l) => l.id === id || l.id.endsWith(`#${id}`))
    : fn
      ? ok.find((l) => l.functionName === fn)
      : ok.length === 1
        ? ok[0]
        : undefined;
  return (
    found ??
    `${id ? `no translatable loop '${id}'` : fn ? `no translatable loop in '${fn}'` : 'pick a loop with --loop ID'}; translatable loops:\n${list}`
  );
}

export interface PrepareRequest {
  readonly root: string;
  /** Absolute path of the source file (decides TS vs JS and the import path). */
  readonly fileName: string;
  /** The file's text as the editor shows it (after any BOM). */
  readonly text: string;
  readonly loop: LoopFacts;
  readonly target: TargetName;
  readonly outputDir: string;
  readonly workspaceTrusted?: boolean;
  readonly cuda?: boolean;
}

export type Prepared =
  | {
      readonly ok: true;
      readonly scaffold: ScaffoldPlan;
      /** The scaffold's `index.ts` wrapper, and whether it exists on disk yet. */
      readonly wrapper: PlannedFile;
      readonly wrapperExists: boolean;
      readonly importPath: string;
      /** Edits into `text` (non-overlapping, ascending). */
      readonly edits: readonly TextEdit[];
      readonly functionName: string;
      readonly localName: string;
      readonly summary: string;
    }
  | { readonly ok: false; readonly reason: string };

/** The one plan both front ends apply: the scaffold folder of the loop's kernel and the edits that call it. */
export async function prepareApply(req: PrepareRequest): Promise<Prepared> {
  const k = req.loop.kernel;
  if (!k)
    return {
      ok: false,
      reason: `the loop ${req.loop.id} is not translatable, so there is no rewrite to apply`,
    };
  const planned = await planScaffold({
    kernel: k,
    target: req.target,
    workspaceRoot: req.root,
    outputDir: req.outputDir,
    workspaceTrusted: req.workspaceTrusted ?? true,
    source: { file: rel(req.root, req.fileName), line: req.loop.range.start.line + 1, loopId: req.loop.id },
    ...(req.cuda !== undefined ? { cuda: req.cuda } : {}),
  });
  if (!planned.ok) return planned;
  const plan = planned.plan;
  const wrapper = plan.files.find((f) => f.role === 'wrapper' && /(^|\/)index\.(ts|js)$/.test(f.relative));
  if (!wrapper)
    return { ok: false, reason: `the ${req.target} scaffold of ${k.name} has no index.ts wrapper to call` };
  const original = plan.files.find((f) => f.role === 'original');
  const importPath = wrapperImportPath(req.fileName, plan.dir);
  const applyPlan = planApply({
    text: req.text,
    fileName: req.fileName,
    loop: req.loop,
    expectedHash: textHash(req.text),
    wrapper: {
      importPath,
      exportName: k.name,
      target: req.target,
      async: plan.properties.async,
      ...(original ? { originalPath: original.relative } : {}),
    },
  });
  if (!applyPlan.ok)
    return {
      ok: false,
      reason: `cannot apply the ${req.target} rewrite of ${req.loop.functionName}: ${applyPlan.reason}`,
    };
  return {
    ok: true,
    scaffold: plan,
    wrapper,
    wrapperExists: existsSync(wrapper.path),
    importPath,
    edits: applyPlan.edits,
    functionName: applyPlan.functionName,
    localName: applyPlan.localName,
    summary: applyPlan.summary,
  };
}

/** Plans (and unless dry-run, performs) applying one loop's rewrite; the diff is always returned. */
export async function applyFile(req: ApplyFileRequest): Promise<ApplyFileResult> {
  const fail = (reason: string): ApplyFileResult => ({ ok: false, reason });
  const read = await readExact(req.file);
  if (typeof read === 'string') return fail(read);
  const { text, bytes } = read;
  // A UTF-8 BOM stays where it is: the analysis and the edits see the text after it (as editors do).
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const body = text.slice(bom);
  const loop = pickLoop(
    analyzeSource(req.file, body, { rootDir: req.root }).loops,
    req.loopId,
    req.functionName,
  );
  if (typeof loop === 'string') return fail(loop);
  const p = await prepareApply({
    root: req.root,
    fileName: req.file,
    text: body,
    loop,
    target: req.target,
    outputDir: req.outputDir,
  });
  if (!p.ok) return p;
  const edits = p.edits.map((e) => ({ ...e, start: e.start + bom, end: e.end + bom }));
  const after = applyTextEdits(text, edits);
  const diff = unifiedDiff(rel(req.root, req.file), text, after, edits);
  const base = { diff, summary: p.summary, scaffoldDir: rel(req.root, p.scaffold.dir) };
  if (req.dryRun) return { ok: true, ...base, scaffolded: false };
  const target = await writablePath(req.root, req.file);
  if (typeof target === 'string') return fail(target);
  if (!p.wrapperExists) {
    if (req.scaffold === false)
      return fail(
        `${p.wrapper.relative} does not exist: scaffold the ${req.target} rewrite first (hotloop scaffold)`,
      );
    const written = await writeScaffold(p.scaffold);
    if (!written.ok) return fail(`scaffolding failed: ${written.reason}`);
  }
  // Never over what changed meanwhile (an editor's save while the scaffold was written).
  const now = await readExact(target.real);
  if (typeof now === 'string' || !now.bytes.equals(bytes))
    return fail(
      `${req.file} changed while the rewrite was being prepared: it was left as it is; apply again to rewrite the new text`,
    );
  const record = await saveRecord(req.root, {
    file: rel(req.root, req.file),
    loopId: loop.id,
    target: req.target,
    scaffoldDir: base.scaffoldDir,
    beforeSha256: sha(bytes),
    afterSha256: sha(after),
    inverse: inverseTextEdits(text, edits),
    diff,
  });
  try {
    await writeAtomic(target.real, after);
  } catch (err) {
    await rm(record, { force: true });
    return fail(
      `cannot write ${req.file}: ${err instanceof Error ? err.message : String(err)} (nothing was changed)`,
    );
  }
  return { ok: true, ...base, scaffolded: !p.wrapperExists, record };
}

type RecordBody = Omit<ApplyRecord, 'schemaVersion' | 'kind' | 'id' | 'createdAt'>;

async function saveRecord(root: string, body: RecordBody): Promise<string> {
  const dir = join(root, APPLY_DIR);
  await mkdir(dir, { recursive: true });
  const createdAt = new Date().toISOString();
  const seq = String((await listRecords(root)).length + 1).padStart(4, '0');
  const id = `${seq}-${createdAt.replace(/[:.]/g, '-')}-${body.loopId.replace(/[^A-Za-z0-9_-]+/g, '_').slice(-60)}`;
  const record: ApplyRecord = { schemaVersion: 1, kind: 'apply', id, createdAt, ...body };
  const path = join(dir, `${id}.json`);
  await writeFile(path, JSON.stringify(record, null, 1) + '\n');
  return path;
}

/** Saved reverse patches, oldest first. */
export async function listRecords(root: string): Promise<ApplyRecord[]> {
  let names: string[];
  try {
    names = (await readdir(join(root, APPLY_DIR))).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: ApplyRecord[] = [];
  for (const n of names) {
    let data: Partial<ApplyRecord>;
    try {
      data = JSON.parse(await readFile(join(root, APPLY_DIR, n), 'utf8')) as Partial<ApplyRecord>;
    } catch {
      continue; // not a record of ours (damaged, or not JSON): never a reason to fail every undo
    }
    if (data.kind === 'apply' && data.schemaVersion === 1 && Array.isArray(data.inverse))
      out.push(data as ApplyRecord);
  }
  return out;
}

export type UndoResult =
  | { readonly ok: true; readonly file: string; readonly id: string }
  | { readonly ok: false; readonly reason: string };

/** Undoes one apply (the newest, or `id`): restores the file byte for byte and drops its record. */
export async function undoApply(root: string, id?: string): Promise<UndoResult> {
  const records = await listRecords(root);
  const rec = id ? records.find((r) => r.id === id || r.id.startsWith(id)) : records.at(-1);
  if (!rec)
    return {
      ok: false,
      reason: id
        ? `no applied rewrite '${id}' under ${APPLY_DIR}`
        : `nothing to undo (no reverse patch under ${APPLY_DIR})`,
    };
  const file = join(root, rec.file);
  const read = await readExact(file);
  if (typeof read === 'string') return { ok: false, reason: read };
  if (sha(read.bytes) !== rec.afterSha256) {
    return {
      ok: false,
      reason: `${rec.file} changed since the rewrite was applied: undo it by hand with the diff in ${join(APPLY_DIR, `${rec.id}.json`)} (nothing was changed)`,
    };
  }
  const restored = applyTextEdits(read.text, rec.inverse);
  if (sha(restored) !== rec.beforeSha256)
    return {
      ok: false,
      reason: `the reverse patch ${rec.id} does not give back the original of ${rec.file} (nothing was changed)`,
    };
  const target = await writablePath(root, file);
  if (typeof target === 'string') return { ok: false, reason: target };
  await writeAtomic(target.real, restored);
  await rm(join(root, APPLY_DIR, `${rec.id}.json`));
  return { ok: true, file: rec.file, id: rec.id };
}
