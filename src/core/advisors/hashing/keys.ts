// What an object's declared type says about its keys and values: `Record<number, V>`,
// `{ [k: number]: V }` (numeric keys), the same with `string`. Syntax only.
import { ts } from '../../analysis/ts.js';

export type KeyFacts =
  | { readonly kind: 'number' | 'string'; readonly key: string; readonly value: string }
  | { readonly kind: 'unknown'; readonly why: string };

export function keyFacts(t: ts.TypeNode | undefined, source: ts.SourceFile): KeyFacts {
  if (!t)
    return {
      kind: 'unknown',
      why: 'the object has no declared type (keys may mix numbers and strings that print alike)',
    };
  let key: ts.TypeNode | undefined;
  let value: ts.TypeNode | undefined;
  if (
    ts.isTypeReferenceNode(t) &&
    ts.isIdentifier(t.typeName) &&
    t.typeName.text === 'Record' &&
    t.typeArguments?.length === 2
  )
    [key, value] = t.typeArguments;
  else if (
    ts.isTypeLiteralNode(t) &&
    t.members.length === 1 &&
    ts.isIndexSignatureDeclaration(t.members[0]!)
  ) {
    const sig = t.members[0];
    key = sig.parameters[0]?.type;
    value = sig.type;
  }
  if (!key || !value)
    return {
      kind: 'unknown',
      why: `its type \`${t.getText(source)}\` is not a Record or an index signature`,
    };
  if (key.kind === ts.SyntaxKind.NumberKeyword)
    return { kind: 'number', key: 'number', value: value.getText(source) };
  if (key.kind === ts.SyntaxKind.StringKeyword)
    return { kind: 'string', key: 'string', value: value.getText(source) };
  return { kind: 'unknown', why: `its keys are \`${key.getText(source)}\`, not number or string` };
}
