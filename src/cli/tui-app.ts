/**
 * The interactive installer once it is decided to draw: React, Ink, the screens,
 * the store and the effects layer, imported statically here so that src/cli/tui.ts
 * loads them with one `import()` (one chunk of the split bundle, after the flags,
 * the terminal and the prefill config have been checked).
 */
import { writeFileSync, chmodSync } from 'node:fs';
import { createElement } from 'react';
import { render } from 'ink';
import { App } from '../../screens/App.js';
import { createStore } from '../../screens/state/store.js';
import { initialState } from '../../screens/state/wizard.js';
import { themeFor } from '../../screens/theme.js';
import { wizardEffects } from '../wizard/effects.js';
import type { CommandContext } from './main.js';
import type { TuiOptions } from './tui.js';
import type { UnifiedConfig } from '../schema/config.js';
import type { Disk } from '../disks/types.js';

/** Draw the wizard; resolves with the exit code when it is over. */
export async function mountApp(
  options: TuiOptions,
  config: UnifiedConfig,
  demo: Disk[] | undefined,
  ctx: CommandContext,
): Promise<number> {
  const probeMachine = demo === undefined && options.platform === ctx.hostPlatform();
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((r) => (finish = r));
  const effects = wizardEffects({
    platform: options.platform,
    dryRun: options.dryRun,
    probeMachine,
    loadDisks: async () => {
      if (demo) return demo;
      if (!probeMachine) return [];
      const { detectDisks } = await import('../disks/probe.js');
      return detectDisks(options.platform);
    },
    writeFile: (path, text, mode) => {
      writeFileSync(path, text, { mode });
      chmodSync(path, mode);
    },
    runner: async () => (await import('../apply/runner.js')).processRunner(),
    exit: (code) => finish(code),
  });
  const store = createStore(initialState(options, config, demo), effects);
  const app = render(createElement(App, { store, theme: themeFor(process.env) }), {
    stdout: ctx.stdout as NodeJS.WriteStream,
    stdin: ctx.stdin as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  // The disks are detected after the first frame is drawn (the demo machine's are given).
  if (!demo) store.dispatch({ type: 'disks/rescan' });
  const code = await done;
  app.unmount();
  await app.waitUntilExit().catch(() => undefined);
  return code;
}
