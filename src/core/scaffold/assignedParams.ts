// A kernel lowered from a loop that is only part of its function takes the accumulator's value on
// entry as a scalar parameter and assigns it (`acc = acc + …`), which the IR forbids (parameters
// are read-only; reductions are locals declared before the loop). Scaffolding renames such a
// parameter to `<name>_in` and declares `let <name> = <name>_in` first: the same function, valid IR.
import type { Kernel, Param, Stmt } from '../ir/types.js';

function assigned(body: readonly Stmt[], into: Set<string>): void {
  // Not an exhaustive switch on purpose: statements without nested bodies assign nothing to a name
  // but `assign`, and new statement kinds (early exits) must not break this walk.
  for (const s of body) {
    if (s.kind === 'assign') into.add(s.name);
    else if (s.kind === 'if') {
      assigned(s.then, into);
      assigned(s.else, into);
    } else if (s.kind === 'for') assigned(s.body, into);
  }
}

function freshName(k: Kernel, base: string): string {
  const taken = new Set([...k.params.map((p) => p.name), ...k.consts.map((c) => c.name)]);
  for (let i = 0; ; i++) {
    const name = i ? `${base}_in${i}` : `${base}_in`;
    if (!taken.has(name) && !JSON.stringify(k.body).includes(`"${name}"`)) return name;
  }
}

/** `k` with every assigned scalar parameter turned into a local initialised from a renamed parameter (or `k` itself). */
export function withLocalAccumulators(k: Kernel): Kernel {
  const names = new Set<string>();
  assigned(k.body, names);
  const hit = k.params.filter((p) => p.kind === 'scalar' && names.has(p.name));
  if (!hit.length) return k;
  const renamed = new Map(hit.map((p) => [p.name, freshName(k, p.name)]));
  const params: Param[] = k.params.map((p) =>
    renamed.has(p.name) ? { ...p, name: renamed.get(p.name)! } : p,
  );
  const lets: Stmt[] = hit.map((p) => ({
    kind: 'let',
    name: p.name,
    dtype: p.kind === 'scalar' && p.dtype === 'i32' ? 'i32' : 'f64',
    init: { kind: 'var', name: renamed.get(p.name)! },
  }));
  return { ...k, params, body: [...lets, ...k.body] };
}
