import type { HotloopCommand } from './types.js';

/** `Hotloop: Refresh hot loops` — rescans the workspace (the view's title button). */
export const refreshHotLoopsCommand: HotloopCommand = {
  id: 'hotloop.refreshHotLoops',
  run: ({ tree }) => tree.scan(),
};
