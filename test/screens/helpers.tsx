/**
 * Rendering the wizard for screen tests: a store with a given state, keys in,
 * frames out, and a poll that waits for a frame instead of sleeping.
 */
import { render } from 'ink-testing-library';
import type { z } from 'zod';
import { App } from '../../screens/App.js';
import { createStore, type Effects, type Store } from '../../screens/state/store.js';
import {
  type WizardEnv,
  type WizardState,
  initialState,
  wizardReducer,
} from '../../screens/state/wizard.js';
import { reviewEffect } from '../../src/wizard/effects.js';
import { reviewCheck } from '../../src/wizard/review.js';
import { noColourTheme } from '../../screens/theme.js';
import type { Disk } from '../../src/disks/types.js';
import type { UnifiedConfig } from '../../src/schema/config.js';
import { emptyConfig } from '../../src/wizard/fields.js';
import { configText } from '../../src/wizard/serialize.js';
import demo from '../../assets/demo-machine.json' with { type: 'json' };

export const demoDisks = demo as Disk[];

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  enter: '\r',
  esc: '\u001B',
  space: ' ',
  tab: '\t',
  backspace: '\u007F',
  ctrlC: '\u0003',
};

export const env: WizardEnv = {
  platform: 'linux',
  dryRun: true,
  demo: true,
  outPath: '/tmp/slipway-test.json',
};

export function makeState(
  patch: Partial<WizardState> = {},
  config: UnifiedConfig = emptyConfig(),
  disks: Disk[] = demoDisks,
): WizardState {
  return { ...initialState(env, config, disks), ...patch };
}

/** The state after Review's check (what the effects layer computes when Review opens). */
export function checked(s: WizardState): WizardState {
  return wizardReducer(s, {
    type: 'review/checked',
    check: reviewCheck(s.config, s.env, s.disks.list),
    config: s.config,
  });
}

/** Render the wizard; Review's check runs as in the app (the effects layer's reviewEffect). */
export function renderWizard(state: WizardState, effects?: Effects) {
  const review = reviewEffect();
  const store: Store = createStore(state, (a, s, d) => {
    effects?.(a, s, d);
    review(a, s, d);
  });
  if (state.route.name === 'review' && state.route.check === null)
    review({ type: 'next' }, state, store.dispatch);
  const r = render(<App store={store} theme={noColourTheme} />);
  const frame = () => r.lastFrame() ?? '';
  return { ...r, store, frame };
}

/** Poll until the predicate holds for the current frame; fails with the last frame. */
export async function waitForFrame(
  frame: () => string,
  predicate: (f: string) => boolean,
  timeoutMs = 3000,
): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const f = frame();
    if (predicate(f)) return f;
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`timed out waiting for the frame; last frame:\n${f}`);
    await new Promise((r) => setImmediate(r));
  }
}

/** Write keys one by one, waiting for Ink to take each (the store changes or the frame does). */
export async function press(r: ReturnType<typeof renderWizard>, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    r.stdin.write(k);
    // Ink reads input on the next tick; give it the turn without a fixed delay.
    await new Promise((res) => setImmediate(res));
    await new Promise((res) => setImmediate(res));
  }
}

/**
 * Press ↑ or ↓ until the cursor row (the one starting with ›) matches `row`
 * (written for the cursor row: /^› ports/); down when the row is not in sight.
 */
export async function moveTo(r: ReturnType<typeof renderWizard>, row: RegExp): Promise<string> {
  for (;;) {
    const before = r.frame();
    const lines = before.split('\n');
    const at = lines.findIndex((l) => l.startsWith('›'));
    if (at >= 0 && row.test(lines[at]!)) return before;
    const target = lines.findIndex((l) => /^[ ›] /.test(l) && row.test(`› ${l.slice(2)}`));
    await press(r, target >= 0 && target < at ? KEY.up : KEY.down);
    await waitForFrame(r.frame, (f) => f !== before);
  }
}

/** The config as the wizard would write it, read back as JSON. */
export function written(r: ReturnType<typeof renderWizard>): UnifiedConfig {
  return JSON.parse(configText(r.store.getState().config)) as UnifiedConfig;
}

/** The keys a zod object schema writes, in its order (through defaults, optionals, arrays). */
export function schemaKeys(schema: z.ZodType): string[] {
  let s = schema as unknown as { shape?: object; def: Record<string, unknown> };
  while (!s.shape) s = (s.def.innerType ?? s.def.element ?? s.def.in) as typeof s;
  return Object.keys(s.shape);
}
