// What an array's declared type says about its elements: objects with which fields (from an interface,
// a type alias or a type literal in the same file), or rows of numbers. Syntax only.
import { ts } from '../../analysis/ts.js';

/** A field's declared type: a number, a method (or function-typed field), or anything else (its text). */
export type FieldType =
  | { readonly kind: 'number' }
  | { readonly kind: 'method' }
  | { readonly kind: 'other'; readonly text: string };

export type ElementType =
  | { readonly kind: 'objects'; readonly name: string; readonly fields: ReadonlyMap<string, FieldType> }
  | { readonly kind: 'rows' }
  | { readonly kind: 'unknown'; readonly why: string };

/** The element type of `T[]`, `readonly T[]`, `Array<T>`, `ReadonlyArray<T>`. */
function elementOf(t: ts.TypeNode): ts.TypeNode | undefined {
  if (ts.isTypeOperatorNode(t) && t.operator === ts.SyntaxKind.ReadonlyKeyword) return elementOf(t.type);
  if (ts.isParenthesizedTypeNode(t)) return elementOf(t.type);
  if (ts.isArrayTypeNode(t)) return t.elementType;
  if (
    ts.isTypeReferenceNode(t) &&
    ts.isIdentifier(t.typeName) &&
    (t.typeName.text === 'Array' || t.typeName.text === 'ReadonlyArray') &&
    t.typeArguments?.length === 1
  )
    return t.typeArguments[0];
  return undefined;
}

function strip(t: ts.TypeNode): ts.TypeNode {
  return ts.isParenthesizedTypeNode(t) ? strip(t.type) : t;
}

function membersOf(members: readonly ts.TypeElement[] | readonly ts.ClassElement[]): Map<string, FieldType> {
  const fields = new Map<string, FieldType>();
  for (const m of members) {
    if (!m.name || !(ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) continue;
    const name = m.name.text;
    if (ts.isMethodSignature(m) || ts.isMethodDeclaration(m) || ts.isGetAccessor(m)) {
      fields.set(name, { kind: 'method' });
      continue;
    }
    const type = ts.isPropertySignature(m) || ts.isPropertyDeclaration(m) ? m.type : undefined;
    if (!type) fields.set(name, { kind: 'other', text: 'untyped' });
    else if (type.kind === ts.SyntaxKind.NumberKeyword) fields.set(name, { kind: 'number' });
    else if (ts.isFunctionTypeNode(strip(type))) fields.set(name, { kind: 'method' });
    else fields.set(name, { kind: 'other', text: type.getText() });
  }
  return fields;
}

/** The fields of a named type declared at the top level of `source`. */
function namedFields(source: ts.SourceFile, name: string): Map<string, FieldType> | undefined {
  for (const s of source.statements) {
    if (ts.isInterfaceDeclaration(s) && s.name.text === name && !s.heritageClauses)
      return membersOf(s.members);
    if (ts.isTypeAliasDeclaration(s) && s.name.text === name && ts.isTypeLiteralNode(strip(s.type)))
      return membersOf((strip(s.type) as ts.TypeLiteralNode).members);
    if (ts.isClassDeclaration(s) && s.name?.text === name && !s.heritageClauses) return membersOf(s.members);
  }
  return undefined;
}

/** What the declared type `t` of an array says about its elements. */
export function elementType(t: ts.TypeNode | undefined, source: ts.SourceFile): ElementType {
  if (!t) return { kind: 'unknown', why: 'the array has no declared type (the fields may not be numbers)' };
  const el = elementOf(t);
  if (!el) return { kind: 'unknown', why: `its type \`${t.getText(source)}\` is not an array type` };
  const e = strip(el);
  const inner = elementOf(e);
  if (inner) {
    return strip(inner).kind === ts.SyntaxKind.NumberKeyword
      ? { kind: 'rows' }
      : { kind: 'unknown', why: `its rows hold \`${inner.getText(source)}\`, not numbers` };
  }
  if (ts.isTypeLiteralNode(e))
    return { kind: 'objects', name: e.getText(source), fields: membersOf(e.members) };
  if (ts.isTypeReferenceNode(e) && ts.isIdentifier(e.typeName) && !e.typeArguments) {
    const fields = namedFields(source, e.typeName.text);
    if (fields) return { kind: 'objects', name: e.typeName.text, fields };
    return { kind: 'unknown', why: `its element type \`${e.typeName.text}\` is not declared in this file` };
  }
  return { kind: 'unknown', why: `its element type \`${e.getText(source)}\` is not a plain object type` };
}
