import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, makeState, press, renderWizard, waitForFrame } from './helpers.js';
import { wizardReducer } from '../../screens/state/wizard.js';

afterEach(() => cleanup());

function pickedState(paths: string[]) {
  let s = makeState({ route: { name: 'disks' } });
  s = { ...s, picker: { ...s.picker, picked: paths } };
  return wizardReducer(s, { type: 'next' });
}

describe('Topology screen', () => {
  it('starts a pool from the picked disks with a live capacity readout', async () => {
    const r = renderWizard(pickedState(['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde']));
    const f = await waitForFrame(r.frame, (f) => f.includes('Pool topology'));
    expect(f).toMatch(/data 1\s+raidz\s+sdb sdc sdd sde/);
    expect(f).toMatch(/data 1\s+raidz\s+sdb sdc sdd sde\s+\(10\.9T, survives 1\)/);
    // 4 × 3.64T raidz1: raw 14.6T, usable 3 × 3.64T = 10.9T, one failure.
    expect(f).toContain('raw 14.6T');
    expect(f).toContain('usable ≈ 10.9T');
    expect(f).toContain('survives 1 disk failure');
    expect(f).toMatch(/t vdev type/);
  });

  it('t cycles the vdev type and the readout follows', async () => {
    const r = renderWizard(pickedState(['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde']));
    await waitForFrame(r.frame, (f) => f.includes('data 1'));
    await press(r, KEY.down, 't');
    const f = await waitForFrame(r.frame, (f) => /data 1\s+raidz2/.test(f));
    expect(f).toContain('usable ≈ 7.28T');
    expect(f).toContain('survives 2 disk failures');
  });

  it('builds a mirrored log from disks taken out of the data vdev, and warns on mixed sizes', async () => {
    const r = renderWizard(
      pickedState(['/dev/nvme0n1', '/dev/nvme1n1', '/dev/sdb', '/dev/sdc', '/dev/sdd']),
    );
    let f = await waitForFrame(r.frame, (f) => f.includes('data 1'));
    expect(f).toContain('mixes disk sizes');
    // Into the data vdev: take the two NVMe disks out.
    await press(r, KEY.down, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('assigning'));
    await press(r, KEY.space, KEY.down, KEY.space, KEY.enter);
    f = await waitForFrame(
      r.frame,
      (f) => /data 1\s+raidz\s+sdb sdc sdd\s/.test(f) && !f.includes('assigning'),
    );
    expect(f).not.toContain('mixes disk sizes');
    // + add log: a new mirror, Space puts both NVMe disks in.
    await press(r, KEY.down, KEY.down, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('log 1'));
    await press(r, KEY.space, KEY.down, KEY.space, KEY.enter);
    f = await waitForFrame(r.frame, (f) => /log 1\s+mirror\s+nvme0n1 nvme1n1/.test(f));
    const pool = r.store.getState().config.storage.pools[0]!;
    expect(pool.topology!.log[0]!.vdev_type).toBe('mirror');
    expect(pool.topology!.log[0]!.devices).toEqual([
      expect.objectContaining({ path: '/dev/nvme0n1', serial: 'S5GXNF0R401234A' }),
      expect.objectContaining({ path: '/dev/nvme1n1', serial: 'S5GXNF0R401240B' }),
    ]);
  });

  it('property rows cycle values with Space and show one-line help', async () => {
    const r = renderWizard(pickedState(['/dev/sdb', '/dev/sdc']));
    await waitForFrame(r.frame, (f) => f.includes('data 1'));
    const rows = r.frame().split('\n');
    const ashiftAt = rows.findIndex((l) => l.includes('ashift'));
    const nameAt = rows.findIndex((l) => l.includes('pool name'));
    await press(r, ...Array(ashiftAt - nameAt).fill(KEY.down));
    let f = await waitForFrame(r.frame, (f) => f.includes('› ashift'));
    expect(f).toMatch(/ashift: .+/);
    await press(r, KEY.space, KEY.space);
    f = await waitForFrame(r.frame, (f) => /› ashift\s+12/.test(f));
    expect(r.store.getState().config.storage.pools[0]!.properties.ashift).toBe('12');
  });

  it('Enter on the name row renames the pool through a prompt', async () => {
    const r = renderWizard(pickedState(['/dev/sdb']));
    await waitForFrame(r.frame, (f) => f.includes('pool name'));
    await press(r, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('Enter apply'));
    await press(r, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, 'd', 'a', 't', 'a');
    await press(r, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('[data]'));
    expect(r.store.getState().config.storage.pools[0]!.name).toBe('data');
  });
});

describe('Datasets screen', () => {
  it('adds, renames, sets quota and reservation, removes; the budget follows', async () => {
    const s = pickedState(['/dev/sdb', '/dev/sdc']);
    const r = renderWizard(wizardReducer(s, { type: 'next' }));
    let f = await waitForFrame(r.frame, (f) => f.includes('Datasets'));
    expect(f).toContain('No datasets yet');
    expect(f).toMatch(/a add.*v add zvol/s);
    await press(r, 'a', 'h', 'o', 'm', 'e', KEY.enter);
    f = await waitForFrame(r.frame, (f) => f.includes('tank/home'));
    await press(r, 'a', 'a', 'l', 'i', 'c', 'e', KEY.enter);
    f = await waitForFrame(r.frame, (f) => f.includes('alice'));
    await press(r, 'R', '1', '0', '0', 'G', KEY.enter);
    f = await waitForFrame(r.frame, (f) => f.includes('reserve 100G'));
    expect(f).toMatch(/tank: reserved 100G of ≈ 3.64T/);
    await press(r, 'q', '2', '0', '0', 'G', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('quota 200G'));
    await press(
      r,
      'e',
      KEY.backspace,
      KEY.backspace,
      KEY.backspace,
      KEY.backspace,
      KEY.backspace,
      'b',
      'o',
      'b',
      KEY.enter,
    );
    f = await waitForFrame(r.frame, (f) => f.includes('bob'));
    expect(f).not.toContain('alice');
    expect(r.store.getState().config.storage.zfs_datasets[0]!.children[0]!.name).toBe(
      'tank/home/bob',
    );
    await press(r, 'x');
    f = await waitForFrame(r.frame, (f) => !f.includes('bob'));
    expect(f).toMatch(/tank: reserved 0B/);
  });

  it('a zvol asks for its size; a bad size is refused in the prompt', async () => {
    const s = pickedState(['/dev/sdb', '/dev/sdc']);
    const r = renderWizard(wizardReducer(s, { type: 'next' }));
    await waitForFrame(r.frame, (f) => f.includes('Datasets'));
    await press(r, 'v', 'v', 'm', '1', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('volume size'));
    await press(r, 'l', 'o', 't', 's', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('is not a size'));
    await press(
      r,
      KEY.backspace,
      KEY.backspace,
      KEY.backspace,
      KEY.backspace,
      '2',
      '0',
      'G',
      KEY.enter,
    );
    const f = await waitForFrame(r.frame, (f) => f.includes('vm1 [zvol]'));
    expect(f).toContain('volume 20G');
    expect(f).toMatch(/reserved 20G/);
  });

  it('snapshot and replication entries are added to the dataset under the cursor', async () => {
    const s = pickedState(['/dev/sdb', '/dev/sdc']);
    const r = renderWizard(wizardReducer(s, { type: 'next' }));
    await waitForFrame(r.frame, (f) => f.includes('Datasets'));
    await press(r, 'a', 'd', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('tank/d'));
    await press(r, 's', 'd', 'a', 'i', 'l', 'y', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('1 snapshot'));
    await press(r, 'y', ...'backup:tank/d', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('→ 1 replica'));
    const st = r.store.getState().config.storage;
    expect(st.zfs_snapshots[0]).toMatchObject({
      dataset: 'tank/d',
      name: 'daily',
      schedule: 'daily',
    });
    expect(st.zfs_replication[0]).toMatchObject({
      source_dataset: 'tank/d',
      target: 'backup:tank/d',
    });
  });
});
