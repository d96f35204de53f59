import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, makeState, press, renderWizard, waitForFrame } from './helpers.js';

afterEach(() => cleanup());

describe('Welcome screen', () => {
  it('shows platform, target and where the config goes, and Enter goes to Disks', async () => {
    const r = renderWizard(makeState());
    const f = await waitForFrame(r.frame, (f) => f.includes('Welcome'));
    expect(f).toContain('linux');
    expect(f).toContain('dry run');
    expect(f).toContain('/tmp/slipway-test.json');
    expect(f).toMatch(/Enter continue.*\? help.*Ctrl-C quit/s);
    await press(r, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('2/9 Disks'));
    expect(r.store.getState().route.name).toBe('disks');
  });

  it('says when a real apply will change the machine', async () => {
    const s = makeState();
    const r = renderWizard({ ...s, env: { ...s.env, dryRun: false, demo: false } });
    const f = await waitForFrame(r.frame, (f) => f.includes('Welcome'));
    expect(f).toContain('REAL apply');
  });
});

describe('Disks screen', () => {
  it('lists disks with model, serial, size, type and transport; in-use disks with the reason', async () => {
    const r = renderWizard(makeState({ route: { name: 'disks' } }));
    const f = await waitForFrame(r.frame, (f) => f.includes('nvme0n1'));
    expect(f).toMatch(/nvme0n1\s+Samsung SSD 980 PRO 1TB\s+S5GXNF0R401234A\s+954G\s+SSD\s+nvme/);
    expect(f).toMatch(/\[-\] sda .*in use: mounted/);
    expect(f).toMatch(/\[-\] sdj .*in use: install-media/);
    expect(f).toContain('Space toggle');
    expect(f).toContain('r rescan');
  });

  it('Space picks the disk under the cursor; an in-use disk is refused with the reason', async () => {
    const r = renderWizard(makeState({ route: { name: 'disks' } }));
    await waitForFrame(r.frame, (f) => f.includes('nvme0n1'));
    await press(r, KEY.space);
    await waitForFrame(r.frame, (f) => f.includes('[x] nvme0n1'));
    await press(r, KEY.down, KEY.down, KEY.space);
    const f = await waitForFrame(r.frame, (f) => f.includes('cannot be picked'));
    expect(f).toContain('sda is in use (mounted');
    expect(r.store.getState().picker.picked).toEqual(['/dev/nvme0n1']);
    await press(r, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('Pool topology'));
  });

  it('r asks the effects layer to rescan and shows the new list', async () => {
    const seen: string[] = [];
    const r = renderWizard(makeState({ route: { name: 'disks' } }), (a, _s, dispatch) => {
      seen.push(a.type);
      if (a.type === 'disks/rescan')
        setImmediate(() =>
          dispatch({
            type: 'disks/loaded',
            disks: [{ ...makeState().disks.list[0]!, name: 'nvme9n1', path: '/dev/nvme9n1' }],
          }),
        );
    });
    await waitForFrame(r.frame, (f) => f.includes('nvme0n1'));
    await press(r, 'r');
    const f = await waitForFrame(r.frame, (f) => f.includes('nvme9n1'));
    expect(f).not.toContain('sdb');
    expect(seen).toContain('disks/rescan');
  });

  it('windows a list of 1,000 disks: only what fits is drawn', async () => {
    const base = makeState().disks.list[3]!;
    const many = Array.from({ length: 1000 }, (_, i) => ({
      ...base,
      name: `sd${i}`,
      path: `/dev/sd${i}`,
      serial: `SER${i}`,
    }));
    const r = renderWizard(
      makeState({ route: { name: 'disks' }, disks: { state: 'ready', list: many } }),
    );
    const f = await waitForFrame(r.frame, (f) => f.includes('SER0'));
    expect(f).toContain('of 1000');
    expect(f.split('\n').length).toBeLessThanOrEqual(24);
    await press(r, KEY.down, KEY.down, KEY.down);
    expect(r.store.getState().picker.cursor).toBe(3);
  });
});
