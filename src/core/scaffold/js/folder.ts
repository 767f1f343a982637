// The js target's folder is plain JavaScript: every TypeScript file the framework and the emitter
// produce (index, original, locate, check, a fresh-array wrapper) is written as `.js` (types erased,
// nothing else changed: ES2022 in, ES2022 out) plus its `.d.ts`, so importing it needs no compiler
// and type-checks under any host tsconfig (only the declarations are seen: a `.d.ts` shadows its
// `.js`). `npm run build` copies the files to dist/ (`build.mjs`): no toolchain to install.
import type { GeneratedFile } from '../types.js';

/** `build.mjs`: the whole build — the folder's .js and .d.ts copied to dist/ (where JS importers look). */
export const JS_BUILD_MJS = `import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
for (const f of readdirSync('.')) {
  if (f !== 'build.mjs' && /\\.(js|d\\.ts)$/.test(f)) copyFileSync(f, 'dist/' + f);
}
`;

/** The build script of package.json. */
export const JS_BUILD_SCRIPT = 'node build.mjs';

/** The folder's files with each `.ts` as `.js` + `.d.ts`, no tsconfig.json, build.mjs added, README renamed. */
export async function asJsFolder(files: readonly GeneratedFile[]): Promise<GeneratedFile[]> {
  const ts = (await import('typescript')).default;
  const compilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    declaration: true,
    removeComments: false,
  };
  const out: GeneratedFile[] = [];
  const renamed = new Map<string, string>();
  for (const f of files) {
    if (f.path === 'tsconfig.json' || f.path === 'README.md') continue;
    if (!f.path.endsWith('.ts') || f.path.endsWith('.d.ts')) {
      out.push(f);
      continue;
    }
    const base = f.path.slice(0, -3);
    const js = ts.transpileModule(f.contents, { compilerOptions, fileName: f.path }).outputText;
    const dts = ts.transpileDeclaration(f.contents, { compilerOptions, fileName: f.path });
    const problems = (dts.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
    if (problems.length) throw new Error(`no declarations for ${f.path}: ${problems.slice(0, 3).join('; ')}`);
    out.push({ path: `${base}.js`, role: f.role, contents: js });
    out.push({ path: `${base}.d.ts`, role: 'build', contents: dts.outputText });
    renamed.set(f.path, `${base}.js\` + \`${base}.d.ts`);
  }
  out.push({ path: 'build.mjs', role: 'build', contents: JS_BUILD_MJS });
  const readme = files.find((f) => f.path === 'README.md');
  if (readme) {
    let text = readme.contents.replace(/^- `tsconfig\.json` \(build\)\n/m, '');
    for (const [from, to] of renamed) text = text.split(`\n- \`${from}\``).join(`\n- \`${to}\``);
    text = text.replace(/^## Files\n\n/m, '## Files\n\n- `build.mjs` (build)\n');
    out.push({ ...readme, contents: text });
  }
  return out;
}
