// Generated script positions (a bundle's) → original file positions, through the script's source map
// (`//# sourceMappingURL=` to a file or a data: URL, or `<script>.map`); a script without one is its
// own original. And the syntax around an original position: the function, the loops around it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { scriptKindOf, ts } from '../../analysis/ts.js';
import { enclosingLoops, functionOf } from '../layout/syntax.js';

export interface SourcePosition {
  /** Absolute path. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
}

const toPath = (s: string): string | undefined => {
  if (s.startsWith('file://')) {
    try {
      return fileURLToPath(s);
    } catch {
      return undefined;
    }
  }
  return s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s) ? s : undefined;
};

function loadMap(path: string): TraceMap | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    const m = /\/\/[#@] sourceMappingURL=(\S+)\s*$/.exec(text.slice(-4096));
    if (m?.[1]?.startsWith('data:')) {
      const ref = m[1];
      const comma = ref.indexOf(',');
      const payload = ref.slice(comma + 1);
      const json = ref.slice(0, comma).endsWith(';base64')
        ? Buffer.from(payload, 'base64').toString('utf8')
        : decodeURIComponent(payload);
      return new TraceMap(json, path);
    }
    const mapPath = m ? resolve(dirname(path), m[1]!) : `${path}.map`;
    return existsSync(mapPath) ? new TraceMap(readFileSync(mapPath, 'utf8'), mapPath) : undefined;
  } catch {
    return undefined;
  }
}

/** Maps positions of the scripts V8 ran back to their original files (one map per script, cached). */
export class PositionMapper {
  private readonly maps = new Map<string, TraceMap | undefined>();
  original(script: string, line: number, column: number): SourcePosition | undefined {
    const path = toPath(script);
    if (!path || !existsSync(path)) return undefined;
    if (!this.maps.has(path)) this.maps.set(path, loadMap(path));
    const map = this.maps.get(path);
    if (!map) return { file: path, line, column };
    const p = originalPositionFor(map, { line, column: Math.max(0, column - 1) });
    const file = p.source === null ? undefined : toPath(p.source);
    return file && p.line !== null ? { file, line: p.line, column: p.column + 1 } : undefined;
  }
}

const ARRAY_LOOPS = new Set([
  'forEach',
  'map',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'flatMap',
]);

export interface SiteSyntax {
  readonly functionName: string;
  /** The site is in a loop of its function, or in a callback of an array method (`forEach`, `map`, …). */
  readonly inLoop: boolean;
  /** The line's text, trimmed (for the report). */
  readonly text: string;
  /** The object read or written (`p` of `p.x`, `rows[i]` of `rows[i].x`), when the site is an access. */
  readonly receiver?: string;
}

/** Parses original files once each and answers what surrounds a position. */
export class SyntaxIndex {
  private readonly files = new Map<string, ts.SourceFile | undefined>();
  private source(file: string): ts.SourceFile | undefined {
    if (!this.files.has(file)) {
      let sf: ts.SourceFile | undefined;
      try {
        const text = readFileSync(file, 'utf8');
        sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, scriptKindOf(file));
      } catch {
        sf = undefined;
      }
      this.files.set(file, sf);
    }
    return this.files.get(file);
  }
  at(p: SourcePosition): SiteSyntax | undefined {
    const sf = this.source(p.file);
    if (!sf || p.line < 1 || p.line > sf.getLineStarts().length) return undefined;
    const pos = sf.getPositionOfLineAndCharacter(p.line - 1, Math.max(0, p.column - 1));
    let n: ts.Node = sf;
    for (;;) {
      const child = n.getChildren(sf).find((c) => c.getStart(sf) <= pos && pos < c.end);
      if (!child) break;
      n = child;
    }
    const fn = functionOf(n);
    const ctor = ts.isConstructorDeclaration(fn.body) ? fn.body : undefined;
    const functionName = ctor ? `new ${ctor.parent.name?.text ?? '<class>'}` : fn.name;
    const f = fn.body;
    const callback =
      (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) &&
      ts.isCallExpression(f.parent) &&
      ts.isPropertyAccessExpression(f.parent.expression) &&
      ARRAY_LOOPS.has(f.parent.expression.name.text);
    const lineText = sf.text.split('\n')[p.line - 1]?.trim() ?? '';
    const access = n.parent;
    const receiver =
      n !== sf && (ts.isPropertyAccessExpression(access) || ts.isElementAccessExpression(access))
        ? access.expression.getText(sf)
        : undefined;
    return {
      functionName,
      inLoop: enclosingLoops(n).length > 0 || callback,
      text: lineText,
      ...(receiver ? { receiver } : {}),
    };
  }
}
