// What a scaffold build needs before it starts, found on the build's own PATH: node and npm, a C++
// toolchain for node-gyp (compiler, make, python3), nvcc for a CUDA flavour, Node's headers (so
// node-gyp needs no download) and the folder's npm dependencies. Every problem is a sentence that
// says what to install.
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { ScaffoldFolder } from './types.js';

type Folder = Extract<ScaffoldFolder, { ok: true }>;

/** How to start npm: its JS entry under the found node where possible (no shell, any platform). */
export interface Toolchain {
  readonly node: string;
  readonly npm: { readonly cmd: string; readonly args: readonly string[] };
  /** Prefix with include/node/node_api.h, passed to node-gyp as npm_config_nodedir. */
  readonly nodedir: string | undefined;
  readonly nvcc: string | undefined;
}

export interface Prerequisites {
  /** Missing things that stop the build, each with what to do. */
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
  readonly tools: Toolchain | undefined;
  /** Dependencies of the folder that resolve from neither it nor a folder above it. */
  readonly unresolved: readonly string[];
  /** The node_modules the resolving dependencies come from (the folder's or an ancestor's). */
  readonly resolvedFrom: string | undefined;
}

function pathOf(env: NodeJS.ProcessEnv): string {
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH');
  return key ? (env[key] ?? '') : '';
}

/** The executable `name` on `env`'s PATH (with PATHEXT on Windows), or undefined. */
export function which(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const exts = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of pathOf(env).split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = join(dir, name + ext);
      try {
        if (!statSync(p).isFile()) continue;
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

function npmCommand(npm: string, node: string): Toolchain['npm'] {
  const candidates = [join(dirname(npm), 'node_modules', 'npm', 'bin', 'npm-cli.js')];
  try {
    candidates.unshift(realpathSync(npm));
  } catch {
    // a dangling link: spawn it as found
  }
  const cli = candidates.find((p) => p.endsWith('.js') && existsSync(p));
  return cli ? { cmd: node, args: [cli] } : { cmd: npm, args: [] };
}

function nodeHeaders(node: string, env: NodeJS.ProcessEnv): { nodedir?: string; warning?: string } {
  if (env.npm_config_nodedir) return { nodedir: env.npm_config_nodedir };
  let prefix: string;
  try {
    prefix = dirname(dirname(realpathSync(node)));
  } catch {
    prefix = dirname(dirname(node));
  }
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) return { nodedir: prefix };
  return {
    warning: `Node's headers are not next to ${node} (${join(prefix, 'include', 'node')}): node-gyp will download them, which needs network. Set npm_config_nodedir to a Node prefix with include/node to build offline.`,
  };
}

function toolchainHint(): string {
  if (process.platform === 'darwin')
    return 'install the Xcode command line tools (xcode-select --install) and python3';
  if (process.platform === 'win32')
    return 'install Visual Studio Build Tools ("Desktop development with C++") and Python 3';
  return 'install build-essential (apt install g++ make python3)';
}

/** The C++ toolchain node-gyp needs, by what is missing ("a C++ compiler (g++, c++ or clang++)", "make"). */
function missingToolchain(env: NodeJS.ProcessEnv): string[] {
  const missing: string[] = [];
  if (process.platform !== 'win32') {
    const cxx = env.CXX?.trim().split(/\s+/)[0];
    const compiler = cxx
      ? cxx.includes('/')
        ? existsSync(cxx)
          ? cxx
          : undefined
        : which(cxx, env)
      : ['g++', 'c++', 'clang++'].map((c) => which(c, env)).find(Boolean);
    if (!compiler) missing.push(cxx ? `the C++ compiler CXX=${cxx}` : 'a C++ compiler (g++, c++ or clang++)');
    if (!which('make', env) && !which('gmake', env)) missing.push('make');
  }
  const python = env.npm_config_python ?? env.PYTHON;
  if (python ? !existsSync(python) && !which(python, env) : !which('python3', env) && !which('python', env))
    missing.push(python ? `python (${python})` : 'python3');
  return missing;
}

/** The node_modules folder (in `dir` or above it) that holds `dep`, or undefined. */
export function resolveDependency(dir: string, dep: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const nm = join(d, 'node_modules');
    if (existsSync(join(nm, dep, 'package.json'))) return nm;
    if (dirname(d) === d) return undefined;
  }
}

/** Checks everything the folder's build needs; `install` says whether missing dependencies may be installed. */
export function checkPrerequisites(folder: Folder, env: NodeJS.ProcessEnv, install: boolean): Prerequisites {
  const problems: string[] = [];
  const warnings: string[] = [];
  const node = which('node', env);
  const npm = which('npm', env);
  if (!node || !npm) {
    problems.push(
      `${[!node && 'node', !npm && 'npm'].filter(Boolean).join(' and ')} not found on PATH: install Node.js ≥ 20 with npm (https://nodejs.org), or start the editor from a shell where \`node\` and \`npm\` run.`,
    );
  }
  const native = folder.kind === 'native';
  const nvcc = folder.cuda
    ? (which('nvcc', env) ??
      [env.CUDA_HOME, env.CUDA_PATH].map((h) => h && join(h, 'bin', 'nvcc')).find((p) => p && existsSync(p)))
    : undefined;
  if (folder.cuda && !nvcc) {
    warnings.push(
      'cuda/ is not built: nvcc is not on PATH (install the CUDA toolkit, or set CUDA_HOME, to build it). The WebGPU version does not need it.',
    );
  }
  let nodedir: string | undefined;
  if (native || nvcc) {
    const missing = missingToolchain(env);
    if (missing.length) {
      problems.push(
        `building the ${native ? 'native addon' : 'CUDA addon'} needs a C++ toolchain for node-gyp, but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not on PATH: ${toolchainHint()}.`,
      );
    }
    if (node) {
      const headers = nodeHeaders(node, env);
      nodedir = headers.nodedir;
      if (headers.warning) warnings.push(headers.warning);
    }
  }
  const unresolved: string[] = [];
  let resolvedFrom: string | undefined;
  for (const dep of folder.dependencies) {
    const at = resolveDependency(folder.dir, dep);
    if (at) resolvedFrom ??= at;
    else unresolved.push(dep);
  }
  if (unresolved.length && !install) {
    const gyp = unresolved.includes('node-gyp') ? ' (node-gyp among them: it builds the addon)' : '';
    const where = folder.installDir
      ? `${folder.installDir} (the toolchain shared by the scaffold folders)`
      : 'there';
    problems.push(
      `${unresolved.join(', ')} ${unresolved.length > 1 ? 'are' : 'is'} not installed for ${folder.dir}${gyp}: run \`npm install\` in ${where} (it needs the npm registry).`,
    );
  }
  const tools = node && npm ? { node, npm: npmCommand(npm, node), nodedir, nvcc } : undefined;
  return { problems, warnings, tools, unresolved, resolvedFrom };
}
