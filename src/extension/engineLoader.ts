// Lazy loading of the engine bundle (dist/engine.js, which holds the TypeScript compiler). The
// extension bundle must never import it at run time: activation stays under 100 ms, and the first
// lens or command pays the load once. Types come from src/engine.ts through `import type` only.
// No `vscode` import here.
import * as path from 'node:path';
import type { Logger } from '../core/logger.js';
import type * as EngineModule from '../engine.js';

/** Everything src/engine.ts exports (other features reach their engine parts through services.engine()). */
export type Engine = typeof EngineModule;
export type { AnalysisService } from '../engine.js';

/** The exports the extension cannot work without; checked when the bundle loads. */
const required = ['createAnalysisService', 'analyzePath', 'expandPaths'] as const;

/** Checks that a required module is the engine, with a message that says what to do otherwise. */
export function validateEngine(mod: unknown, file: string): Engine {
  const missing = required.filter(
    (name) => typeof (mod as Record<string, unknown> | null)?.[name] !== 'function',
  );
  if (missing.length) {
    throw new Error(
      `Hotloop's engine bundle ${file} does not export ${missing.join(', ')}: rebuild it with \`npm run build\`.`,
    );
  }
  return mod as Engine;
}

/**
 * Returns a function that loads the engine on first call and caches it (or the error). `dir` is
 * the folder of dist/extension.js, where esbuild writes engine.js too.
 */
export function lazyEngine(dir: string, logger: Logger): () => Engine {
  let loaded: { engine: Engine } | { error: Error } | undefined;
  return () => {
    if (!loaded) {
      const file = path.join(dir, 'engine.js');
      const t0 = performance.now();
      try {
        // A computed path, so esbuild leaves the engine out of the extension bundle.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod: unknown = require(file);
        loaded = { engine: validateEngine(mod, file) };
        logger.info(`engine loaded from ${file} in ${(performance.now() - t0).toFixed(0)} ms`);
      } catch (err) {
        // The first line only: Node appends a multi-line require stack.
        const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
        loaded = {
          error: new Error(
            `Could not load Hotloop's engine (${file}): ${reason}. Run \`npm run build\` and reload the window.`,
          ),
        };
        logger.error(loaded.error);
      }
    }
    if ('error' in loaded) throw loaded.error;
    return loaded.engine;
  };
}
