import type { HotloopCommand } from './types.js';

/** `Hotloop: Show log` — reveals the 'Hotloop' output channel. */
export const showLogCommand: HotloopCommand = {
  id: 'hotloop.showLog',
  run: ({ services }) => {
    services.log.show(true);
  },
};
