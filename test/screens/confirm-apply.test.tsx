import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, checked, env, makeState, press, renderWizard, waitForFrame } from './helpers.js';
import { wizardReducer, type WizardState } from '../../screens/state/wizard.js';
import type { Effects } from '../../screens/state/store.js';
import { themeFor } from '../../screens/theme.js';

afterEach(() => cleanup());

/** Walk the reducer from Disks to Confirm with two picked disks (a mirror). */
function confirmState(dryRun: boolean): WizardState {
  let s = makeState({ route: { name: 'disks' } });
  s = { ...s, env: { ...env, dryRun }, picker: { ...s.picker, picked: ['/dev/sdb', '/dev/sdc'] } };
  for (let i = 0; i < 5; i++) s = wizardReducer(s, { type: 'next' });
  expect(s.route.name).toBe('review');
  s = wizardReducer(checked(s), { type: 'next' });
  expect(s.route.name).toBe('confirm');
  return s;
}

describe('Confirm screen', () => {
  it('lists the disks to be overwritten by serial and size and needs the pool name typed', async () => {
    const started: string[] = [];
    const r = renderWizard(confirmState(false), (a) => started.push(a.type));
    let f = await waitForFrame(r.frame, (f) => f.includes('8/9 Confirm'));
    expect(f).toContain('Everything on these disks will be destroyed');
    expect(f).toMatch(/\/dev\/sdb\s+ZC17A8K0\s+3\.64T/);
    expect(f).toMatch(/\/dev\/sdc\s+ZC18A8K1\s+3\.64T/);
    expect(f).toContain('Type tank');
    await press(r, ...'tan', KEY.enter);
    f = await waitForFrame(r.frame, (f) => f.includes('exactly'));
    expect(r.store.getState().route.name).toBe('confirm');
    await press(r, 'k', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('9/9 Apply'));
    expect(started.filter((t) => t === 'apply/start')).toHaveLength(2);
    expect(r.store.getState().route.name).toBe('apply');
  });

  it('Esc goes back to Review', async () => {
    const r = renderWizard(confirmState(false));
    await waitForFrame(r.frame, (f) => f.includes('Confirm'));
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) => f.includes('7/9 Review'));
  });
});

/** A fake engine: replays events when apply starts (the effects layer's job). */
function engine(
  events: Parameters<Effects>[2] extends (a: infer A) => void ? A[] : never,
): Effects {
  return (a, _s, dispatch) => {
    if (a.type !== 'apply/start') return;
    let i = 0;
    const next = () => {
      const e = events[i++];
      if (!e) return;
      dispatch(e);
      setImmediate(next);
    };
    setImmediate(next);
  };
}

const host = { kind: 'host' } as const;

describe('Apply screen', () => {
  it('shows finished steps, the running one with its last output lines, then a summary', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const effects: Effects = (a, _s, dispatch) => {
      if (a.type !== 'apply/start') return;
      void (async () => {
        const step = (id: string, status: 'running' | 'ok', tail = '') =>
          dispatch({
            type: 'apply/event',
            event: {
              event: 'step',
              id,
              title: `step ${id}`,
              context: host,
              status,
              elapsed_ms: 1200,
              output_tail: tail,
            },
          });
        step('pool', 'running');
        step('pool', 'ok');
        step('ds', 'running', 'line one\nline two\nline three');
        await gate;
        step('ds', 'ok');
        dispatch({
          type: 'apply/event',
          event: { event: 'summary', changed: 2, skipped: 0, failed: 0, elapsed_ms: 2500 },
        });
        dispatch({ type: 'apply/ended', journalPath: '/tmp/slipway-test.json.journal' });
      })();
    };
    const r = renderWizard(confirmState(false), effects);
    await waitForFrame(r.frame, (f) => f.includes('Confirm'));
    await press(r, ...'tank', KEY.enter);
    let f = await waitForFrame(r.frame, (f) => f.includes('line three'));
    expect(f).toMatch(/✓ step pool \[host\] 1\.2s/);
    expect(f).toContain('step ds');
    expect(f).toContain('line two');
    expect(f).toMatch(/elapsed/);
    release();
    f = await waitForFrame(r.frame, (f) => f.includes('applied:'));
    expect(f).toContain('2 steps done');
    expect(f).toContain('journal: /tmp/slipway-test.json.journal');
    expect(f).toContain('config: /tmp/slipway-test.json');
    // The static part printed each finished step once.
    expect(r.frames.join('').split('✓ step pool').length - 1).toBeGreaterThanOrEqual(1);
    await press(r, KEY.enter);
    expect(r.store.getState().exitCode).toBe(0);
  });

  it('on failure shows the step, its error and what to do next; exit code 1', async () => {
    const r = renderWizard(
      confirmState(false),
      engine([
        {
          type: 'apply/event',
          event: {
            event: 'step',
            id: 'pool',
            title: 'create pool tank',
            context: host,
            status: 'failed',
            elapsed_ms: 10,
            output_tail: 'cannot create tank: no such device',
          },
        },
        {
          type: 'apply/ended',
          failure: {
            message: 'create pool tank failed: exit code 1',
            details: [
              '$ zpool create tank mirror /dev/sdb /dev/sdc',
              'cannot create tank: no such device',
            ],
          },
        },
      ]),
    );
    await waitForFrame(r.frame, (f) => f.includes('Confirm'));
    await press(r, ...'tank', KEY.enter);
    const f = await waitForFrame(r.frame, (f) => f.includes('What next'));
    expect(f).toContain('step failed: create pool tank');
    expect(f).toContain('exit code 1');
    expect(f).toContain('$ zpool create tank mirror /dev/sdb /dev/sdc');
    expect(f).toContain('What next: fix the cause above');
    await press(r, 'q');
    expect(r.store.getState().exitCode).toBe(1);
  });

  it('Ctrl-C while applying asks first; n goes on, y quits with 130', async () => {
    const r = renderWizard(
      confirmState(false),
      engine([
        {
          type: 'apply/event',
          event: {
            event: 'step',
            id: 'a',
            title: 'long step',
            context: host,
            status: 'running',
            elapsed_ms: 0,
            output_tail: '',
          },
        },
      ]),
    );
    await waitForFrame(r.frame, (f) => f.includes('Confirm'));
    await press(r, ...'tank', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('long step'));
    await press(r, KEY.ctrlC);
    await waitForFrame(r.frame, (f) => f.includes('Quit while applying?'));
    expect(r.store.getState().exitCode).toBeNull();
    await press(r, 'n');
    await waitForFrame(r.frame, (f) => !f.includes('Quit while applying?'));
    await press(r, KEY.ctrlC, 'y');
    expect(r.store.getState().exitCode).toBe(130);
  });

  it('a dry run lists what would run, with the commands', async () => {
    const r = renderWizard(
      confirmState(true),
      engine([
        {
          type: 'apply/dry-run-step',
          row: {
            id: 'p',
            title: 'create pool tank',
            context: 'host',
            would: 'run',
            command: 'zpool create tank mirror /dev/sdb /dev/sdc',
          },
        },
        { type: 'apply/ended' },
      ]),
    );
    let f = await waitForFrame(r.frame, (f) => f.includes('Confirm'));
    expect(f).toContain('Dry run: nothing is written');
    await press(r, KEY.enter);
    f = await waitForFrame(r.frame, (f) => f.includes('dry run complete'));
    expect(f).toContain('1 steps would run');
    expect(r.frames.join('')).toContain('$ zpool create tank mirror /dev/sdb /dev/sdc');
  });
});

describe('a dry run of a re-apply', () => {
  it('shows a step that would fail with the reason, and counts it', async () => {
    const r = renderWizard(
      confirmState(true),
      engine([
        {
          type: 'apply/dry-run-step',
          row: {
            id: 'c',
            title: 'Create container web',
            context: 'host',
            would: 'run',
            command: 'podman create --name web localhost/app:1',
            refuse: 'container web exists but differs in ports: podman rm -f web, then apply again',
          },
        },
        {
          type: 'apply/dry-run-step',
          row: { id: 'p', title: 'create pool tank', context: 'host', would: 'skip', command: '' },
        },
        { type: 'apply/ended' },
      ]),
    );
    await waitForFrame(r.frame, (f) => f.includes('Confirm'));
    await press(r, KEY.enter);
    const f = await waitForFrame(r.frame, (f) => f.includes('dry run complete'));
    expect(f).toContain('0 steps would run, 1 already done, 1 would fail');
    const all = r.frames.join('');
    expect(all).toContain('would fail');
    expect(all).toContain('differs in ports: podman rm -f web, then apply again');
    expect(all).not.toContain('$ podman create --name web');
  });
});

describe('around the screens', () => {
  it('? opens help on any screen and Esc closes it; Ctrl-C outside apply quits at once', async () => {
    const r = renderWizard(makeState({ route: { name: 'disks' } }));
    await waitForFrame(r.frame, (f) => f.includes('nvme0n1'));
    await press(r, '?');
    let f = await waitForFrame(r.frame, (f) => f.includes('closes this help'));
    expect(f).toContain('cannot be picked');
    await press(r, KEY.esc);
    f = await waitForFrame(r.frame, (f) => f.includes('nvme0n1'));
    expect(r.store.getState().route.name).toBe('disks');
    await press(r, KEY.ctrlC);
    expect(r.store.getState().exitCode).toBe(130);
  });

  it('NO_COLOR selects the plain theme', () => {
    expect(themeFor({ NO_COLOR: '1' }).error).toBeUndefined();
    expect(themeFor({}).error).toBe('red');
  });
});
