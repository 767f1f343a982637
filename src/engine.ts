// The engine bundle (dist/engine.js): everything heavy (the TypeScript compiler, the profiler, the
// emitters) behind one module that the extension requires lazily on first use. Re-export only.
export type { FileAnalysis, LoopFacts } from './core/analysis/types.js';
