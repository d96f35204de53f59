/** The widget reducers, tested without rendering. */
import { describe, expect, it } from 'vitest';
import { diskPickerReducer, initialPicker } from '../../screens/widgets/disk-picker/state.js';
import {
  builderRows,
  initialBuilder,
  seedPool,
  vdevBuilderReducer,
  type Builder,
  type VdevBuilderAction,
} from '../../screens/widgets/vdev-builder/state.js';
import {
  datasetTreeReducer,
  initialTree,
  treeRows,
  type Tree,
} from '../../screens/widgets/dataset-tree/state.js';
import { addContainer, emptyConfig } from '../../src/wizard/fields.js';
import {
  type WizardAction,
  type WizardState,
  formView,
  initialState,
  wizardReducer,
} from '../../screens/state/wizard.js';
import { env } from './helpers.js';
import { addDataset } from '../../src/wizard/datasets.js';
import { poolCapacity } from '../../src/validate/capacity.js';
import type { Disk } from '../../src/disks/types.js';
import demo from '../../assets/demo-machine.json' with { type: 'json' };

const disks = demo as Disk[];

describe('disk picker reducer', () => {
  it('moves within bounds, toggles free disks, refuses in-use ones with the reason', () => {
    let s = diskPickerReducer(initialPicker, { type: 'move', delta: -5 }, disks);
    expect(s.cursor).toBe(0);
    s = diskPickerReducer(s, { type: 'toggle' }, disks);
    expect(s.picked).toEqual(['/dev/nvme0n1']);
    s = diskPickerReducer(s, { type: 'move', delta: 2 }, disks); // sda: in use
    s = diskPickerReducer(s, { type: 'toggle' }, disks);
    expect(s.picked).toEqual(['/dev/nvme0n1']);
    expect(s.refused).toMatch(/sda is in use \(mounted/);
    s = diskPickerReducer(s, { type: 'end' }, disks);
    expect(s.cursor).toBe(disks.length - 1);
    s = diskPickerReducer(s, { type: 'move', delta: 100 }, disks);
    expect(s.cursor).toBe(disks.length - 1);
    s = diskPickerReducer(s, { type: 'home' }, disks);
    s = diskPickerReducer(s, { type: 'toggle' }, disks);
    expect(s.picked).toEqual([]);
  });

  it('a rescan drops picks of disks that vanished or became busy', () => {
    const s = { ...initialPicker, cursor: 11, picked: ['/dev/sdb', '/dev/sdc'] };
    const after = disks
      .filter((d) => d.name !== 'sdc')
      .map((d) =>
        d.name === 'sdb' ? { ...d, in_use: [{ reason: 'zpool' as const, detail: 'old' }] } : d,
      );
    const r = diskPickerReducer(s, { type: 'sync', disks: after }, after);
    expect(r.picked).toEqual([]);
    expect(r.cursor).toBe(after.length - 1);
  });
});

describe('vdev builder reducer', () => {
  const picked = ['/dev/nvme0n1', '/dev/nvme1n1', '/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde'];
  const start = (): Builder => ({
    builder: initialBuilder,
    config: seedPool(emptyConfig(), disks, picked),
  });
  const run = (b: Builder, ...actions: VdevBuilderAction[]) =>
    actions.reduce((acc, a) => vdevBuilderReducer(acc, a, disks, picked), b);
  const rowIndex = (b: Builder, pred: (r: ReturnType<typeof builderRows>[number]) => boolean) =>
    builderRows(b.config, b.builder.pool).findIndex(pred);

  it('seeds one data vdev of all picked disks; a raidz for three or more', () => {
    const b = start();
    const data = b.config.storage.pools[0]!.topology!.data;
    expect(data).toHaveLength(1);
    expect(data[0]!.vdev_type).toBe('raidz');
    expect(data[0]!.devices).toHaveLength(6);
  });

  it('assign mode moves disks from the data vdev into a new mirrored log', () => {
    let b = run(start(), { type: 'move', delta: 1 }, { type: 'activate' });
    expect(b.builder.assign?.ref).toEqual({ pool: 0, role: 'data', index: 0 });
    b = run(
      b,
      { type: 'assign-toggle' },
      { type: 'assign-move', delta: 1 },
      { type: 'assign-toggle' },
      { type: 'assign-done' },
    );
    expect(b.config.storage.pools[0]!.topology!.data[0]!.devices).toHaveLength(4);
    const addLog = rowIndex(b, (r) => r.kind === 'add' && r.role === 'log');
    b = run(b, { type: 'move', delta: addLog - b.builder.cursor }, { type: 'activate' });
    expect(b.builder.assign?.ref.role).toBe('log');
    // A disk in the data vdev cannot be put in the log.
    b = run(b, { type: 'assign-move', delta: 2 }, { type: 'assign-toggle' });
    expect(b.config.storage.pools[0]!.topology!.log[0]!.devices).toHaveLength(0);
    b = run(
      b,
      { type: 'assign-move', delta: -2 },
      { type: 'assign-toggle' },
      { type: 'assign-move', delta: 1 },
      { type: 'assign-toggle' },
      { type: 'assign-done' },
    );
    const log = b.config.storage.pools[0]!.topology!.log[0]!;
    expect(log.vdev_type).toBe('mirror');
    expect(log.devices.map((d) => (typeof d === 'string' ? d : d.path))).toEqual([
      '/dev/nvme0n1',
      '/dev/nvme1n1',
    ]);
    const cap = poolCapacity(b.config.storage.pools[0]!, disks);
    expect(cap.failuresSurvived).toBe(1);
    expect(cap.usableBytes).toBe(3 * 4000787030016);
  });

  it('cycles types per class, removes vdevs, adds and switches pools, cycles properties', () => {
    let b = run(start(), { type: 'move', delta: 1 }, { type: 'cycle-type' });
    expect(b.config.storage.pools[0]!.topology!.data[0]!.vdev_type).toBe('raidz2');
    b = run(b, { type: 'remove' });
    expect(b.config.storage.pools[0]!.topology!.data).toHaveLength(0);
    b = run(b, { type: 'add-pool' });
    expect(b.config.storage.pools.map((p) => p.name)).toEqual(['tank', 'tank1']);
    expect(b.builder.pool).toBe(1);
    b = run(b, { type: 'next-pool' });
    expect(b.builder.pool).toBe(0);
    const comp = rowIndex(b, (r) => r.kind === 'prop' && r.prop === 'compression');
    b = run(b, { type: 'move', delta: comp - b.builder.cursor }, { type: 'cycle-prop', delta: 1 });
    expect(b.config.storage.pools[0]!.filesystem_properties.compression).toBe('on');
    b = run(b, { type: 'cycle-prop', delta: -1 });
    expect(b.config.storage.pools[0]!.filesystem_properties.compression).toBeUndefined();
  });
});

describe('dataset tree reducer', () => {
  function bigTree(n: number) {
    let config = emptyConfig();
    config = addDataset(config, null, 'tank', 'a').config;
    config = addDataset(config, 'tank/a', 'tank', 'b').config;
    config = addDataset(config, 'tank/a/b', 'tank', 'c').config;
    for (let i = 0; i < n; i++) config = addDataset(config, null, 'tank', `d${i}`).config;
    return config;
  }

  it('moves, collapses and expands, and keeps the cursor valid after a removal', () => {
    const t0: Tree = { tree: initialTree, config: bigTree(2) };
    expect(treeRows(t0.config, t0.tree).map((r) => r.name)).toEqual([
      'tank/a',
      'tank/a/b',
      'tank/a/b/c',
      'tank/d0',
      'tank/d1',
    ]);
    let t = datasetTreeReducer(t0, { type: 'toggle-collapse' });
    expect(treeRows(t.config, t.tree).map((r) => r.name)).toEqual(['tank/a', 'tank/d0', 'tank/d1']);
    t = datasetTreeReducer(t, { type: 'focus', name: 'tank/a/b/c' });
    expect(t.tree.cursor).toBe(2);
    expect(t.tree.collapsed.has('tank/a')).toBe(false);
    t = datasetTreeReducer(t, { type: 'end' });
    t = datasetTreeReducer(t, { type: 'remove' });
    expect(t.tree.cursor).toBe(3);
    t = datasetTreeReducer({ ...t, tree: { ...t.tree, cursor: 0 } }, { type: 'remove' });
    expect(treeRows(t.config, t.tree).map((r) => r.name)).toEqual(['tank/d0']);
  });

  it('5,000 datasets: a move is a cached lookup, not a rebuild', () => {
    const t0: Tree = { tree: initialTree, config: bigTree(5000) };
    const rows1 = treeRows(t0.config, t0.tree);
    expect(rows1).toHaveLength(5003);
    const t = datasetTreeReducer(t0, { type: 'move', delta: 4000 });
    expect(treeRows(t.config, t.tree)).toBe(rows1);
    expect(t.tree.cursor).toBe(4000);
  });
});

describe('forms opened below the Containers and System screens', () => {
  const start = (): WizardState => ({
    ...initialState(
      env,
      addContainer(addContainer(emptyConfig(), 'linux', 'web'), 'linux', 'db'),
      [],
    ),
    route: { name: 'containers' },
  });
  const run = (s: WizardState, ...actions: WizardAction[]) => actions.reduce(wizardReducer, s);
  const typed = (value: string): WizardAction[] => [
    { type: 'prompt/edit', value },
    { type: 'prompt/submit' },
  ];
  const moveTo = (s: WizardState, id: string) =>
    run(s, {
      type: 'form/move',
      delta: formView(s).form.fields.findIndex((f) => f.id === id) - formView(s).cursor,
    });

  it('opens a list, adds with the cursor on the new row, removes, and closes with back', () => {
    let s = moveTo(start(), 'ports');
    s = run(s, { type: 'form/activate' });
    expect(formView(s)).toMatchObject({ depth: 1, formId: 'ports', trail: ['web', 'ports'] });
    s = run(s, { type: 'form/add' }, ...typed('80'), { type: 'form/add' }, ...typed('443'));
    expect(s.config.containers.containers[0]!.ports.map((p) => p.host_port)).toEqual([80, 443]);
    expect(formView(s).cursor).toBe(1);
    s = run(s, { type: 'form/activate' });
    expect(formView(s)).toMatchObject({ depth: 2, formId: 'ports:1' });
    s = run(s, { type: 'back' });
    expect(formView(s)).toMatchObject({ depth: 1, cursor: 1 });
    s = run(s, { type: 'form/remove' }, { type: 'form/remove' });
    expect(s.config.containers.containers[0]!.ports).toEqual([]);
    expect(formView(s).cursor).toBe(0);
    // The "+ add" row is not removable.
    expect(run(s, { type: 'form/remove' }).config).toBe(s.config);
    s = run(s, { type: 'back' });
    expect(formView(s).depth).toBe(0);
    expect(s.route.name).toBe('containers');
    expect(run(s, { type: 'back' }).route.name).toBe('datasets');
  });

  it('Tab to the next container closes the opened forms; a refused value leaves the config alone', () => {
    let s = run(moveTo(start(), 'volumes'), { type: 'form/activate' }, { type: 'form/add' });
    s = run(s, ...typed('./data:/data'));
    // neither a host path nor a volume name: the validator's error, the prompt stays open
    expect(s.prompt?.error).toContain('"./data" is not a volume name');
    expect(s.config.containers.containers[0]!.volumes).toEqual([]);
    s = run(s, { type: 'prompt/cancel' }, { type: 'containers/next' });
    expect(formView(s)).toMatchObject({ depth: 0, trail: ['db'] });
  });

  it('a form that is gone is not shown: the nearest level that exists is', () => {
    let s = run(moveTo(start(), 'ports'), { type: 'form/activate' }, { type: 'form/add' });
    s = run(s, ...typed('80'), { type: 'form/activate' });
    expect(formView(s).formId).toBe('ports:0');
    s = { ...s, config: addContainer(emptyConfig(), 'linux', 'web') };
    expect(formView(s)).toMatchObject({ depth: 1, formId: 'ports' });
    s = run(s, { type: 'back' });
    expect(formView(s).depth).toBe(0);
  });
});
