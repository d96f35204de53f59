/** The effects layer with fake machine access: probes, saving, a dry-run apply, quitting. */
import { describe, expect, it } from 'vitest';
import { createStore } from '../../screens/state/store.js';
import { wizardReducer } from '../../screens/state/wizard.js';
import { wizardEffects, type EffectsDeps } from '../../src/wizard/effects.js';
import type { CommandRunner } from '../../src/apply/runner.js';
import { checked, demoDisks, makeState } from './helpers.js';

function deps(over: Partial<EffectsDeps> = {}) {
  const writes: { path: string; text: string; mode: number }[] = [];
  const exits: number[] = [];
  const d: EffectsDeps = {
    platform: 'linux',
    dryRun: true,
    probeMachine: false,
    loadDisks: async () => demoDisks.slice(0, 3),
    writeFile: (path, text, mode) => void writes.push({ path, text, mode }),
    runner: async () => ({}) as CommandRunner,
    exit: (code) => void exits.push(code),
    ...over,
  };
  return { d, writes, exits };
}

async function until(pred: () => boolean): Promise<void> {
  const t0 = Date.now();
  while (!pred() && Date.now() - t0 < 10000) await new Promise((r) => setImmediate(r));
  expect(pred()).toBe(true);
}

describe('wizard effects', () => {
  it('a rescan loads the disks; a failed probe is shown with its message', async () => {
    const { d } = deps();
    const store = createStore(makeState({ route: { name: 'disks' } }), wizardEffects(d));
    store.dispatch({ type: 'disks/rescan' });
    expect(store.getState().disks.state).toBe('loading');
    await until(() => store.getState().disks.state === 'ready');
    expect(store.getState().disks.list.map((x) => x.name)).toEqual(['nvme0n1', 'nvme1n1', 'sda']);
    const bad = deps({
      loadDisks: async () => {
        throw Object.assign(new Error('lsblk: not found'), { hint: 'install util-linux' });
      },
    });
    const s2 = createStore(makeState({ route: { name: 'disks' } }), wizardEffects(bad.d));
    s2.dispatch({ type: 'disks/rescan' });
    await until(() => s2.getState().disks.state === 'failed');
    expect(s2.getState().disks).toMatchObject({
      message: 'lsblk: not found',
      hint: 'install util-linux',
    });
  });

  it('a dry-run apply saves the config, lists every step that would run, and ends done', async () => {
    const { d, writes, exits } = deps();
    let s = makeState({ route: { name: 'disks' } });
    s = { ...s, picker: { ...s.picker, picked: ['/dev/sdb', '/dev/sdc'] } };
    for (let i = 0; i < 5; i++) s = wizardReducer(s, { type: 'next' });
    s = wizardReducer(checked(s), { type: 'next' });
    const store = createStore(s, wizardEffects(d));
    store.dispatch({ type: 'apply/start' });
    await until(
      () =>
        store.getState().route.name === 'apply' &&
        (store.getState().route as { run: { status: string } }).run.status !== 'running',
    );
    const route = store.getState().route;
    if (route.name !== 'apply') throw new Error('not applying');
    expect(route.run.status).toBe('done');
    expect(route.run.order.length).toBeGreaterThan(0);
    expect(
      Object.values(route.run.steps).some((st) =>
        /zpool create .*tank mirror \/dev\/sdb \/dev\/sdc/.test(st.command ?? ''),
      ),
    ).toBe(true);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.mode).toBe(0o644);
    expect(JSON.parse(writes[0]!.text).storage.pools[0].name).toBe('tank');
    store.dispatch({ type: 'finish' });
    // The exit waits for the run's promise to settle (it has: the run is over).
    await until(() => exits.length > 0);
    expect(exits).toEqual([0]);
  });

  it('quitting outside apply exits at once with 130', () => {
    const { d, exits } = deps();
    const store = createStore(makeState(), wizardEffects(d));
    store.dispatch({ type: 'quit/request' });
    expect(exits).toEqual([130]);
  });
});
