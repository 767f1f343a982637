// Which files the extension host touched, recorded by strace and checked against where Hotloop may
// go. code-server runs under `strace -f` (file and process syscalls only, through seccomp-bpf so the
// other syscalls run at full speed); afterwards the trace is read back, the extension hosts
// (`--type=extensionHost`) and every process they started (profiled programs, builds, benchmark
// children) are picked out, and each path they touched is judged:
//   - forbidden: any access at all, even a failed lookup (the repository checkout, the main checkout its
//     node_modules links to, the build folder the VSIX was packaged in);
//   - otherwise a successful access must lie under an allowed folder (the install folder, the
//     workspaces, the scratch HOME/TMP/user data, the toolchain and system folders); failed lookups
//     elsewhere (Node's module resolution walking up to /tmp/node_modules) are not accesses.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';

/** The strace command line that runs `argv` with its file accesses written to `traceFile`. */
export function straceArgs(traceFile) {
  return [
    '-f',
    '--seccomp-bpf',
    '-qq',
    '-y', // file descriptors as paths: AT_FDCWD</cwd>, 3</dir>
    '-s',
    '256',
    '-e',
    'trace=%file,fchdir,clone,clone3,fork,vfork',
    '-o',
    traceFile,
    '--',
  ];
}

/** Splits a syscall's argument text at top-level commas (quotes, brackets and braces respected). */
function splitArgs(text) {
  const args = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      cur += c;
      if (c === '\\') cur += text[++i] ?? '';
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if ('[{('.includes(c)) depth++;
    else if (']})'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      args.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) args.push(cur.trim());
  return args;
}

/** `"…"` → the string (strace's C escapes undone), else undefined. A `"…"...` (cut off) counts too. */
function unquote(arg) {
  const m = /^"((?:[^"\\]|\\.)*)"/.exec(arg ?? '');
  if (!m) return undefined;
  return m[1].replace(/\\(x[0-9a-f]{2}|[0-7]{1,3}|.)/gi, (_, e) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return { n: '\n', t: '\t', r: '\r' }[e] ?? e;
  });
}

/** The directory a dirfd argument stands for: `AT_FDCWD</cwd>` or `7</some/dir>`. */
function dirOf(arg) {
  return /^(?:AT_FDCWD|\d+)<(.*)>$/.exec(arg ?? '')?.[1];
}

/** Indices of [dirfd, path] pairs per syscall; dirfd -1: relative to the cwd. */
function pathArgs(name) {
  switch (name) {
    case 'execve':
    case 'chdir':
      return [[-1, 0]];
    case 'rename':
    case 'link':
      return [
        [-1, 0],
        [-1, 1],
      ];
    case 'symlink':
      return [[-1, 1]];
    case 'symlinkat':
      return [[1, 2]];
    case 'renameat':
    case 'renameat2':
    case 'linkat':
      return [
        [0, 1],
        [2, 3],
      ];
    default:
      if (/at2?$/.test(name) || name === 'statx' || name === 'openat2' || name === 'execveat')
        return [[0, 1]];
      return [[-1, 0]];
  }
}

/**
 * Reads an strace -f -y log into events: { pid, name, paths: string[], ok } for file syscalls, plus the
 * process tree (`parent`) and the pids that exec'd `hostMarker`.
 */
export function parseTrace(text, { initialCwd, hostMarker = '--type=extensionHost' }) {
  const parent = new Map();
  const hosts = new Set();
  const cwd = new Map();
  const pending = new Map();
  const sandboxSetup = new Set();
  const events = [];
  for (let line of text.split('\n')) {
    const head = /^(\d+) +(.*)$/.exec(line);
    if (!head) continue;
    const pid = Number(head[1]);
    let body = head[2];
    if (body.endsWith('<unfinished ...>')) {
      pending.set(pid, body.slice(0, -'<unfinished ...>'.length));
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(body);
    if (resumed) {
      body = (pending.get(pid) ?? '') + resumed[1];
      pending.delete(pid);
    }
    const call = /^(\w+)\((.*)\)\s+= (.*)$/.exec(body);
    if (!call) continue;
    const [, name, argText, ret] = call;
    const ok = !ret.startsWith('-1');
    if (!cwd.has(pid)) cwd.set(pid, cwd.get(parent.get(pid)) ?? initialCwd);
    if (name === 'getcwd') continue; // its string is what it returns, not a path it looks at
    if (/^(clone3?|fork|vfork)$/.test(name)) {
      const child = Number(/^(\d+)/.exec(ret)?.[1]);
      if (child > 0) {
        parent.set(child, pid);
        cwd.set(child, cwd.get(pid));
        if (sandboxSetup.has(pid)) sandboxSetup.add(child);
      }
      continue;
    }
    const args = splitArgs(argText);
    if (name === 'execve' && ok && args[1]?.includes(`"${hostMarker}"`)) hosts.add(pid);
    if (name === 'execve' && ok) sandboxSetup.delete(pid);
    // bubblewrap (Hotloop's build sandbox) building the sandbox's private mount namespace: its
    // /tmp/newroot, /oldroot, /newroot/dev/… are not the host's files. What it binds in is judged:
    // `mount("/oldroot/<host path>", "/newroot/…", MS_BIND)`.
    if (name === 'mount' || name === 'pivot_root' || name === 'umount2') sandboxSetup.add(pid);
    if (sandboxSetup.has(pid)) {
      const src = unquote(args[0]);
      if (name === 'mount' && ok && args[3]?.includes('MS_BIND') && src?.startsWith('/oldroot/'))
        events.push({ pid, name, paths: [posix.normalize(src.slice('/oldroot'.length))], ok });
      continue;
    }
    const paths = [];
    for (const [fdIdx, pathIdx] of pathArgs(name)) {
      const raw = unquote(args[pathIdx]);
      const base = fdIdx >= 0 ? dirOf(args[fdIdx]) : cwd.get(pid);
      if (fdIdx >= 0 && args[fdIdx]?.startsWith('AT_FDCWD<') && base) cwd.set(pid, base);
      if (raw === undefined) continue;
      const full = raw === '' ? base : raw.startsWith('/') ? raw : base && posix.join(base, raw);
      // Only file system paths: an fd of a pipe or socket decodes as `pipe:[…]`/`socket:[…]`.
      if (full?.startsWith('/')) paths.push(posix.normalize(full));
    }
    if (name === 'fchdir' && ok) {
      const dir = dirOf(args[0]);
      if (dir) cwd.set(pid, dir);
    } else if (name === 'chdir' && ok && paths[0]) cwd.set(pid, paths[0]);
    events.push({ pid, name, paths, ok });
  }
  return { events, parent, hosts };
}

const under = (path, dir) => path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/**
 * Judges the accesses of the extension hosts (and their descendants) in `traceFile`.
 * @param {{ traceFile: string, initialCwd: string, allowed: string[], forbidden: string[],
 *   exceptions?: string[] }} o  exceptions: folders inside a forbidden one that are allowed
 * @returns {{ hosts: number, accesses: number, violations: { path: string, name: string, pid: number, ok: boolean }[] }}
 */
export function checkTrace(o) {
  const { events, parent, hosts } = parseTrace(readFileSync(o.traceFile, 'utf8'), o);
  const inHost = new Map();
  const isHostTree = (pid) => {
    if (inHost.has(pid)) return inHost.get(pid);
    let p = pid;
    const seen = new Set();
    while (p !== undefined && !seen.has(p)) {
      if (hosts.has(p)) break;
      seen.add(p);
      p = parent.get(p);
    }
    const r = p !== undefined && hosts.has(p);
    inHost.set(pid, r);
    return r;
  };
  // Ancestors of an allowed folder (/, /tmp, …) may be looked at: realpath and mkdir -p walk them.
  const ancestors = new Set();
  for (const dir of o.allowed)
    for (let d = posix.dirname(dir); ; d = posix.dirname(d)) {
      ancestors.add(d);
      if (d === '/') break;
    }
  const violations = [];
  let accesses = 0;
  for (const e of events) {
    if (!isHostTree(e.pid)) continue;
    for (const path of e.paths) {
      accesses++;
      const excepted = (o.exceptions ?? []).some((d) => under(path, d));
      const forbidden = !excepted && o.forbidden.some((d) => under(path, d));
      const allowed = excepted || ancestors.has(path) || o.allowed.some((d) => under(path, d));
      if (forbidden || (e.ok && !allowed)) violations.push({ path, name: e.name, pid: e.pid, ok: e.ok });
    }
  }
  return { hosts: hosts.size, accesses, violations };
}

/** One line per distinct path (first syscall seen), at most `max`. */
export function describeViolations(violations, max = 15) {
  const byPath = new Map();
  for (const v of violations) if (!byPath.has(v.path)) byPath.set(v.path, v);
  const lines = [...byPath.values()]
    .slice(0, max)
    .map((v) => `${v.path} (${v.name}${v.ok ? '' : ', failed'}, pid ${v.pid})`);
  if (byPath.size > max) lines.push(`… and ${byPath.size - max} more paths`);
  return lines;
}
