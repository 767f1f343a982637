// Pure model of the "Hot loops" tree: files → outermost loops → nested loops, optionally ranked by
// CPU share (a HeatSource from the profile feature). No `vscode` import: unit-tested.
import type { FileAnalysis, LoopFacts } from '../../core/analysis/types.js';
import { verdictText } from '../lenses/lensModel.js';

export interface LoopNode {
  readonly kind: 'loop';
  readonly file: string;
  readonly loop: LoopFacts;
  /** CPU share in [0, 1] when a profile saw this loop. */
  readonly heat: number | undefined;
  readonly children: readonly LoopNode[];
}

export interface FileNode {
  readonly kind: 'file';
  readonly file: string;
  /** Outermost loops of the file (nested loops are their children). */
  readonly loops: readonly LoopNode[];
  /** Largest heat of any loop in the file. */
  readonly heat: number | undefined;
  readonly translatable: number;
  readonly total: number;
}

export type TreeNode = FileNode | LoopNode;

export interface TreeOptions {
  /** Per-loop CPU share; when given, files and loops are ranked hottest first. */
  readonly heat?: (loopId: string) => number | undefined;
  /** Hide files without loops (default true). */
  readonly hideEmpty?: boolean;
}

const byLine = (a: LoopNode, b: LoopNode): number =>
  a.loop.range.start.line - b.loop.range.start.line ||
  a.loop.range.start.character - b.loop.range.start.character;

/** Hottest first; loops without heat after those with it, in line order. */
const byHeat = (a: { heat: number | undefined }, b: { heat: number | undefined }): number =>
  (b.heat ?? -1) - (a.heat ?? -1);

/** Builds the tree from analyses. Loops whose parent is missing are treated as outermost. */
export function buildTree(analyses: readonly FileAnalysis[], options: TreeOptions = {}): FileNode[] {
  const files: FileNode[] = [];
  for (const analysis of analyses) {
    if ((options.hideEmpty ?? true) && analysis.loops.length === 0) continue;
    const ids = new Set(analysis.loops.map((l) => l.id));
    const childrenOf = new Map<string | undefined, LoopFacts[]>();
    for (const loop of analysis.loops) {
      const parent = loop.parentId !== undefined && ids.has(loop.parentId) ? loop.parentId : undefined;
      const list = childrenOf.get(parent) ?? [];
      list.push(loop);
      childrenOf.set(parent, list);
    }
    const make = (loop: LoopFacts, seen: Set<string>): LoopNode => {
      seen.add(loop.id);
      const kids = (childrenOf.get(loop.id) ?? []).filter((k) => !seen.has(k.id)).map((k) => make(k, seen));
      return {
        kind: 'loop',
        file: analysis.file,
        loop,
        heat: options.heat?.(loop.id),
        children: sortLoops(kids, !!options.heat),
      };
    };
    const seen = new Set<string>();
    const loops = sortLoops(
      (childrenOf.get(undefined) ?? []).map((l) => make(l, seen)),
      !!options.heat,
    );
    const heats = analysis.loops.map((l) => options.heat?.(l.id)).filter((h): h is number => h !== undefined);
    files.push({
      kind: 'file',
      file: analysis.file,
      loops,
      heat: heats.length ? Math.max(...heats) : undefined,
      translatable: analysis.loops.filter((l) => l.verdict.translatable).length,
      total: analysis.loops.length,
    });
  }
  files.sort((a, b) => (options.heat ? byHeat(a, b) : 0) || a.file.localeCompare(b.file));
  return files;
}

function sortLoops(nodes: LoopNode[], ranked: boolean): LoopNode[] {
  return nodes.sort((a, b) => (ranked ? byHeat(a, b) : 0) || byLine(a, b));
}

/** "41 % CPU" for a share in [0, 1]; one decimal below 10 %. */
export function heatText(share: number): string {
  const pct = share * 100;
  return `${pct < 10 ? pct.toFixed(1) : pct.toFixed(0)} % CPU`;
}

/** Label and description of a loop row: "variance() line 12" / "reduction over Float64Array · translatable". */
export function loopRow(node: LoopNode): { label: string; description: string } {
  const where = `${node.loop.functionName === '<module>' ? 'top level' : `${node.loop.functionName}()`} line ${node.loop.range.start.line + 1}`;
  const heat = node.heat !== undefined ? `${heatText(node.heat)} · ` : '';
  return { label: where, description: heat + verdictText(node.loop) };
}

/** Description of a file row: "3 loops, 2 translatable". */
export function fileRow(node: FileNode): { description: string } {
  const heat = node.heat !== undefined ? ` · hottest ${heatText(node.heat)}` : '';
  return {
    description: `${node.total} ${node.total === 1 ? 'loop' : 'loops'}, ${node.translatable} translatable${heat}`,
  };
}

/** Replaces (or adds/removes) one file's analysis in a list, keeping the order stable. */
export function replaceFile(analyses: readonly FileAnalysis[], updated: FileAnalysis): FileAnalysis[] {
  const i = analyses.findIndex((a) => a.file === updated.file);
  if (i < 0) return [...analyses, updated];
  const next = [...analyses];
  next[i] = updated;
  return next;
}
