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
export type FunctionCache = Map<
  string,
  { readonly loops: readonly CachedLoop[]; readonly kernels: readonly string[] }
>;

/** Per-source-file index: top-level statements by declared name, and keys per statement. */
export class ContextIndex {
  private readonly byName = new Map<string, ts.Statement[]>();
  private readonly keys = new Map<ts.Statement, string>();

  /**
   * `namesMemo` maps a statement's text to the identifiers it uses; the service keeps it across
   * versions so unchanged statements are not walked again.
   */
  constructor(
    private readonly sf: ts.SourceFile,
    private readonly namesMemo = new Map<string, readonly string[]>(),
  ) {
    for (const s of sf.statements)
      for (const name of declaredNames(s)) this.byName.set(name, [...(this.byName.get(name) ?? []), s]);
  }

  /** The top-level statement containing `node`. */
  topLevelOf(node: ts.Node): ts.Statement | undefined {
    // Parent pointers are typed as always present, but a synthesized node has none.
    let n: ts.Node | undefined = node;
    while (n && parentOf(n) !== this.sf) n = parentOf(n);
    return n as ts.Statement | undefined;
  }

  private namesIn(stmt: ts.Statement): readonly string[] {
    const text = stmt.getText(this.sf);
    let names = this.namesMemo.get(text);
    if (!names) {
      names = identifiersIn(stmt);
      this.namesMemo.set(text, names);
    }
    return names;
  }

  /** Text of `stmt` and of every top-level declaration it (transitively) names. */
  keyOf(stmt: ts.Statement): string {
    const hit = this.keys.get(stmt);
    if (hit !== undefined) return hit;
    const seen = new Set<ts.Statement>([stmt]);
    const queue: ts.Statement[] = [stmt];
    for (let k = 0; k < queue.length; k++) {
      for (const name of this.namesIn(queue[k]!)) {
        for (const d of this.byName.get(name) ?? [])
          if (!seen.has(d)) {
            seen.add(d);
            queue.push(d);
          }
      }
    }
    const key = [...seen]
      .sort((a, b) => a.pos - b.pos)
      .map((s) => s.getText(this.sf))
      .join('\u0000');
    this.keys.set(stmt, key);
    return key;
  }
}

const parentOf = (n: ts.Node): ts.Node | undefined => n.parent;

const { forEachChild } = ts;
const Identifier = ts.SyntaxKind.Identifier;

function identifiersIn(node: ts.Node): string[] {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (n.kind === Identifier) out.add((n as ts.Identifier).text);
    else forEachChild(n, visit);
  };
  visit(node);
  return [...out];
}

function declaredNames(s: ts.Statement): string[] {
  if (
    (ts.isFunctionDeclaration(s) ||
      ts.isClassDeclaration(s) ||
      ts.isInterfaceDeclaration(s) ||
      ts.isTypeAliasDeclaration(s) ||
      ts.isEnumDeclaration(s)) &&
    s.name
  ) {
    return [s.name.text];
  }
  if (ts.isVariableStatement(s))
    return s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
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
