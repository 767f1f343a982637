// Reusing loop facts across document versions: a function's facts depend on its own top-level
// statement and on the top-level declarations it names (helpers, constant tables, types, imports),
// so a one-line edit elsewhere in a 5,000-line file re-analyses one function, not all of them.
import { ts } from './ts.js';
import type { LoopFacts } from './types.js';

export interface CachedLoop {
  readonly facts: LoopFacts;
  /** Offsets of the loop relative to the start of its top-level statement. */
  readonly start: number;
  readonly end: number;
}

/** Facts of one function's loops, keyed by what they depend on. */
export type FunctionCache = Map<string, { readonly loops: readonly CachedLoop[]; readonly kernels: readonly string[] }>;

/** Per-source-file index: top-level statements by declared name, and keys per statement. */
export class ContextIndex {
  private readonly byName = new Map<string, ts.Statement[]>();
  private readonly keys = new Map<ts.Statement, string>();

  constructor(private readonly sf: ts.SourceFile) {
    for (const s of sf.statements) for (const name of declaredNames(s)) this.byName.set(name, [...(this.byName.get(name) ?? []), s]);
  }

  /** The top-level statement containing `node`. */
  topLevelOf(node: ts.Node): ts.Statement | undefined {
    let n: ts.Node = node;
    while (n.parent !== this.sf) {
      if (!n.parent) return undefined;
      n = n.parent;
    }
    return n as ts.Statement;
  }

  /** Text of `stmt` and of every top-level declaration it (transitively) names. */
  keyOf(stmt: ts.Statement): string {
    const hit = this.keys.get(stmt);
    if (hit !== undefined) return hit;
    const seen = new Set<ts.Statement>([stmt]);
    const queue: ts.Statement[] = [stmt];
    for (let k = 0; k < queue.length; k++) {
      const visit = (n: ts.Node): void => {
        if (ts.isIdentifier(n)) {
          for (const d of this.byName.get(n.text) ?? []) if (!seen.has(d)) { seen.add(d); queue.push(d); }
        }
        ts.forEachChild(n, visit);
      };
      visit(queue[k]!);
    }
    const key = [...seen].sort((a, b) => a.pos - b.pos).map((s) => s.getText(this.sf)).join('\u0000');
    this.keys.set(stmt, key);
    return key;
  }
}

function declaredNames(s: ts.Statement): string[] {
  if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) {
    return [s.name.text];
  }
  if (ts.isVariableStatement(s)) return s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  if (ts.isImportDeclaration(s) && s.importClause) {
    const c = s.importClause;
    const out = c.name ? [c.name.text] : [];
    const b = c.namedBindings;
    if (b && ts.isNamespaceImport(b)) out.push(b.name.text);
    if (b && ts.isNamedImports(b)) out.push(...b.elements.map((e) => e.name.text));
    return out;
  }
  return [];
}
