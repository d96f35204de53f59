/**
 * What the storage sections share while they compile: the builder, what has
 * been created so far (datasets, mount points, devices), and the property checks
 * that decide what may be handed to zpool/zfs.
 */
import type { DeviceRef, UnifiedConfig } from '../schema/index.js';
import { didYouMean, formatPath, type PathSegment } from '../schema/diagnostics.js';
import {
  ALL_DATASET_PROPERTY_NAMES,
  ALL_POOL_PROPERTY_NAMES,
  isDatasetProperty,
  isUserProperty,
  propertyInfo,
  propertyOnPlatform,
  userPropertyProblem,
} from '../platform/zfs-properties.js';
import type { DeferredStep, PlanBuilder } from './builder.js';
import { HOST } from './builder.js';
import type { Probe, Step } from './types.js';

/** A volume group this plan creates, for logical volumes found in file systems and mounts. */
export interface VolumeGroup {
  name: string;
  stepId: string;
  devices: number;
  properties: Record<string, string>;
}

/**
 * Names worth suggesting for a misspelt property: settable ones only (so that
 * `deduplication` suggests `dedup`, not the statistic `dedupratio`), dataset
 * properties first.
 */
export const SETTABLE_PROPERTY_NAMES = [
  ...ALL_DATASET_PROPERTY_NAMES.filter((n) => !propertyInfo('dataset', n)?.readonly),
  ...ALL_POOL_PROPERTY_NAMES.filter((n) => !propertyInfo('pool', n)?.readonly),
];

/** More leaves than this and host configuration waits on one step instead. */
const MAX_LAST_IDS = 16;

export class StorageContext {
  /** Dataset (and pool root dataset) → the step that creates or ensures it. */
  readonly datasetStep = new Map<string, string>();
  /** Volumes this plan creates. */
  readonly createdVolumes = new Set<string>();
  /** Pools this plan creates (zpool), by name → step id. */
  readonly createdPools = new Map<string, string>();
  /**
   * The mountpoint property of known datasets (for inheritance); undefined
   * when unknown, none or legacy. Kept only for the names a later dataset can
   * inherit from (`parentNames`), pool roots and volumes: for a tree of 10,000
   * datasets that is a few hundred entries, not a table of 10,000 (each growth
   * of which was a fresh large-object backing store).
   */
  private readonly mountpointProp = new Map<string, string | undefined>();
  /**
   * The parent of every dataset compileDatasets notes (set before it starts);
   * until then every name is kept in mountpointProp.
   */
  parentNames: Set<string> | undefined;
  /**
   * Mounted datasets in the order noteMountpoint saw them: mount point,
   * dataset, step, one entry each. The maps keyed by mount point (`mountpoints`,
   * `mountStep`) are replayed from them when asked for: a plan's compile asks
   * for one at most, not both for each of 10,000 datasets while it notes them.
   * A mount point inherited from the parent is not made as a string (two per
   * dataset, ~0.4 MB for 10,000 that few read): notedMp holds the parent's
   * mount point and notedCut where the dataset's own "/name" starts in its
   * name (mpAt joins them); -1 when notedMp is the mount point itself.
   */
  private readonly notedMp: string[] = [];
  private readonly notedCut: number[] = [];
  private readonly notedDataset: string[] = [];
  private readonly notedStep: string[] = [];
  /**
   * The index in the noted lists of the last entry with each mount point,
   * for stepMountedAt without a table of every mount point: those given as
   * they are by mount point; the inherited ones in groups by the parent's
   * mount point (the parent of a few hundred), each made a table by "/name"
   * only when a directory in it is asked for.
   */
  private readonly lastByMp = new Map<string, number>();
  private readonly inheritedFrom = new Map<
    string,
    { at: number[]; byName?: Map<string, number> }
  >();
  private lastGroupMp: string | undefined;
  private lastGroup: { at: number[]; byName?: Map<string, number> } | undefined;
  private mountpointsMap: Map<string, string> | undefined;
  private mountStepMap: Map<string, string> | undefined;
  /** Whether a mount point in `mountpoints` other than "/" ends in "/". */
  private slashEndedMountpoint = false;
  /** stepMountedAt's index, when it needs one. */
  private mountedIndex: Map<string, string> | undefined;
  /** Block device path → the step that creates it (LV, zvol) or its file system. */
  readonly deviceStep = new Map<string, string>();
  /** Pools created with an altroot: their mount points are not the live paths. */
  readonly altrootPools = new Set<string>();
  /** LVM volume groups this plan creates. */
  readonly volumeGroups = new Map<string, VolumeGroup>();
  /** Replication steps: host configuration does not wait for them. */
  readonly replicationIds = new Set<string>();
  /** Dataset property names datasetPropertyOk has let through. */
  private readonly passingProperties = new Set<string>();
  /**
   * Where the storage steps start in the builder's: every step from there is
   * one (all come through `add`), and lastIds reads them there, with no list
   * of its own growing to 10,000.
   */
  private readonly firstStep: number;

  /** The array `after` gave last. */
  private lastAfter: string[] | undefined;

  /** The last `name=value` word propertyWord made for each property name. */
  private readonly lastWord = new Map<string, string>();

  /**
   * `name=value` for zfs create's argv: the word made last for `name` when the
   * value is the same (10,000 datasets with recordsize=128K keep one string, not
   * 10,000), else a new one, joined flat (see the dataset step ids).
   */
  readonly propertyWord = (name: string, value: string): string => {
    const last = this.lastWord.get(name);
    if (
      last !== undefined &&
      last.length === name.length + 1 + value.length &&
      last.endsWith(value)
    )
      return last;
    const made = [name, value].join('=');
    this.lastWord.set(name, made);
    return made;
  };

  constructor(
    readonly b: PlanBuilder,
    readonly config: UnifiedConfig,
  ) {
    this.firstStep = b.steps.length;
  }

  get platform() {
    return this.b.platform;
  }

  /** A step id not used yet: `base`, else `base#2`, `base#3`… (duplicate entries in a config). */
  uniqueId(base: string): string {
    if (!this.b.has(base)) return base;
    for (let n = 2; ; n++) if (!this.b.has(`${base}#${n}`)) return `${base}#${n}`;
  }

  add(
    step: {
      id: string;
      title: string;
      argv: string[];
      probe: Probe;
      dependsOn?: string[];
      destroys?: boolean;
      devices?: string[];
      pipeTo?: string[];
      stdin?: string | undefined;
    },
    distinctDeps = false,
  ): Step {
    return this.b.addIn(HOST, step, step.id, distinctDeps);
  }

  /** A step made from few things (DeferredStep): its dependencies distinct, as add's distinctDeps. */
  addDeferred(step: DeferredStep): void {
    this.b.addDeferred(step);
  }

  /**
   * `[id]` (or `[]`) as the dependsOn of a step added with distinctDeps: the
   * previous call's array when `id` is the same, so that the children of one
   * parent (49 of each of 200 in a plan of 10,000 datasets) keep one array,
   * not one each. Nothing changes a step's dependsOn once it is added.
   */
  after(id: string | undefined): string[] {
    if (id === undefined) return [];
    const last = this.lastAfter;
    if (last !== undefined && last[0] === id) return last;
    return (this.lastAfter = [id]);
  }

  warn(path: readonly PathSegment[], message: string, hint?: string): void {
    this.b.warn(formatPath(path), message, hint);
  }

  error(path: readonly PathSegment[], message: string, hint?: string): void {
    this.b.error(formatPath(path), message, hint);
  }

  /**
   * A device argument: a path as given, or the `path` of a resolved disk
   * selector. An unresolved selector is an error and a visible placeholder.
   */
  device(d: DeviceRef, path: readonly PathSegment[]): string {
    if (typeof d === 'string') return d;
    if (d.path) return d.path;
    this.error(
      path,
      'disk selector not resolved to a device path',
      'give --machine FILE or run on the target machine',
    );
    const keys = ['serial', 'wwn', 'model', 'vendor', 'type', 'transport', 'size_min'] as const;
    for (const k of keys) if (d[k] !== undefined) return `<${k}=${d[k]}>`;
    return '<disk selector>';
  }

  /**
   * Whether a step of this plan creates `dataset` (not a pool root, nor a
   * `zfs set` of a dataset that exists): its step is a `dataset:` one. Read
   * from datasetStep, with no set of 10,000 created names beside it.
   */
  created(dataset: string): boolean {
    const id = this.datasetStep.get(dataset);
    return id !== undefined && isCreateId(id);
  }

  /**
   * Whether noteMountpoint has seen `dataset`. Every name it sees is in
   * datasetStep already, and only volumes are in datasetStep without being
   * noted (mountpointProp keeps volumes that are), so this is read from them;
   * `known`: whether datasetStep had `dataset` before the caller's own step.
   */
  mountpointNoted(dataset: string, known: boolean): boolean {
    return (
      this.mountpointProp.has(dataset) ||
      (known && !(this.createdVolumes.size && this.createdVolumes.has(dataset)))
    );
  }

  /**
   * Record the mountpoint property of a dataset this plan creates or sets:
   * `explicit` when given, else inherited from the parent (parent's path +
   * "/" + last name component) when the parent's is known. Mounted datasets
   * (canmount on, a path, not under an altroot) go into `mountpoints`.
   * `parent`: parentDataset(dataset), when the caller has it.
   */
  noteMountpoint(
    dataset: string,
    explicit: string | undefined,
    canmount: string | undefined,
    stepId: string,
    parent: string | undefined = parentDataset(dataset),
  ): void {
    // mp: the mount point as a string; or (inherited, not made) `base` + the
    // name from `cut`, the "/" and last component
    let mp: string | undefined;
    let base: string | undefined;
    let cut = -1;
    if (explicit !== undefined) mp = explicit.startsWith('/') ? explicit : undefined;
    else {
      const inherited = parent === undefined ? undefined : this.mountpointProp.get(parent);
      if (inherited !== undefined) {
        base = inherited;
        cut = parent!.length;
      }
    }
    const keep = this.parentNames;
    if (
      keep === undefined ||
      parent === undefined ||
      keep.has(dataset) ||
      this.mountpointProp.has(dataset) ||
      (this.createdVolumes.size !== 0 && this.createdVolumes.has(dataset))
    ) {
      // a name later datasets inherit from: its mount point is made
      if (base !== undefined) {
        mp = joinMountpoint(base, dataset, cut);
        base = undefined;
        cut = -1;
      }
      this.mountpointProp.set(dataset, mp);
    }
    if (
      (mp === undefined && base === undefined) ||
      (this.altrootPools.size && this.altrootPools.has(poolOf(dataset)))
    )
      return;
    if (canmount !== undefined && canmount !== 'on') return;
    const i = this.notedDataset.length;
    if (base === undefined) {
      if (mp!.length > 1 && mp!.charCodeAt(mp!.length - 1) === 47) this.slashEndedMountpoint = true;
      this.notedMp.push(mp!);
      this.lastByMp.set(mp!, i);
    } else {
      // ends in "/" when the name does; its length as joinMountpoint's
      if (
        dataset.charCodeAt(dataset.length - 1) === 47 &&
        (base === '/' ? 0 : base.length) + dataset.length - cut > 1
      )
        this.slashEndedMountpoint = true;
      this.notedMp.push(base);
      // children of one parent come in a row: one lookup of its group for all
      if (base !== this.lastGroupMp) {
        this.lastGroupMp = base;
        this.lastGroup = this.inheritedFrom.get(base);
        if (this.lastGroup === undefined)
          this.inheritedFrom.set(base, (this.lastGroup = { at: [] }));
      }
      this.lastGroup!.at.push(i);
      this.lastGroup!.byName = undefined;
    }
    this.notedCut.push(cut);
    this.notedDataset.push(dataset);
    this.notedStep.push(stepId);
    if (this.mountpointsMap || this.mountStepMap) {
      const at = this.mpAt(i);
      this.mountpointsMap?.set(at, dataset);
      this.mountStepMap?.set(at, stepId);
    }
  }

  /** The mount point of noted entry `i`. */
  private mpAt(i: number): string {
    const cut = this.notedCut[i]!;
    return cut < 0
      ? this.notedMp[i]!
      : joinMountpoint(this.notedMp[i]!, this.notedDataset[i]!, cut);
  }

  /** The index of the last noted entry mounted at `dir`, -1 if none. */
  private lastNotedAt(dir: string): number {
    let last = this.lastByMp.get(dir) ?? -1;
    // an inherited mount point is the parent's + "/" + the last name component
    const k = dir.lastIndexOf('/');
    if (k < 0) return last;
    const group = this.inheritedFrom.get(k === 0 ? '/' : dir.slice(0, k));
    if (group !== undefined) {
      let byName = group.byName;
      if (byName === undefined) {
        byName = group.byName = new Map();
        const at = group.at;
        for (let j = 0; j < at.length; j++)
          byName.set(this.notedDataset[at[j]!]!.slice(this.notedCut[at[j]!]!), at[j]!);
      }
      const i = byName.get(dir.slice(k));
      if (i !== undefined && i > last) last = i;
    }
    return last;
  }

  /** Mount point → dataset, for datasets this plan creates that get mounted (noteMountpoint). */
  get mountpoints(): Map<string, string> {
    return (this.mountpointsMap ??= this.byMountpoint(this.notedDataset));
  }

  /** Mount point → the step that makes it (dataset create or mount). */
  get mountStep(): Map<string, string> {
    return (this.mountStepMap ??= this.byMountpoint(this.notedStep));
  }

  /** The noted mount points → `values` (noted with them), replayed in order: the last one wins. */
  private byMountpoint(values: readonly string[]): Map<string, string> {
    const map = new Map<string, string>();
    for (let i = 0; i < values.length; i++) map.set(this.mpAt(i), values[i]!);
    return map;
  }

  /**
   * The step creating the dataset mounted at `dir`, if this plan creates one:
   * of the absolute mount points other than "/" that are `dir` followed by any
   * number of "/", the first noted whose dataset has a step. Asked once storage
   * is compiled.
   */
  stepMountedAt(dir: string): string | undefined {
    if (!this.slashEndedMountpoint) {
      // No mount point is written with a trailing "/": `dir` itself is the only
      // one that can match, and no index of 10,000 mount points is needed.
      if (dir === '/' || !dir.startsWith('/')) return undefined;
      const i = this.lastNotedAt(dir);
      return (i < 0 ? undefined : this.datasetStep.get(this.notedDataset[i]!)) || undefined;
    }
    if (!this.mountedIndex) {
      const built = new Map<string, string>();
      // forEach: no [mp, ds] pair allocated for each of 10,000 mountpoints
      this.mountpoints.forEach((ds, mp) => {
        if (mp === '/' || !mp.startsWith('/')) return;
        const id = this.datasetStep.get(ds);
        const m = mp.endsWith('/') ? mp.replace(/\/+$/, '') : mp;
        if (id && !built.has(m)) built.set(m, id);
      });
      this.mountedIndex = built;
    }
    return this.mountedIndex.get(dir);
  }

  /** The step that creates `dataset` or its nearest ancestor (the pool at worst), if any. */
  nearestDatasetStep(dataset: string): string | undefined {
    for (let n = dataset; ;) {
      const id = this.datasetStep.get(n);
      if (id) return id;
      const slash = n.lastIndexOf('/');
      if (slash < 0) return undefined;
      n = n.slice(0, slash);
    }
  }

  /** Steps that provide the directories above `target` (mounts and mounted datasets). */
  stepsAbove(target: string): string[] {
    const out: string[] = [];
    for (const [mp, id] of this.mountStep)
      if (mp === '/' || target.startsWith(mp.endsWith('/') ? mp : `${mp}/`))
        if (mp !== target) out.push(id);
    return out;
  }

  /** Whether datasetPropertyOk has let `name` through before (then it does again). */
  propertyPassed(name: string): boolean {
    return this.passingProperties.has(name);
  }

  /**
   * Whether a dataset property may be passed to `zfs create -o`/`zpool create -O`/
   * `zfs set`. Unknown names, read-only statistics, properties this platform's
   * ZFS lacks and malformed user property names would make zfs refuse the whole
   * command: they are dropped with a warning at `path`.
   */
  datasetPropertyOk(
    name: string,
    at: readonly PathSegment[] | (() => readonly PathSegment[]),
    command: string,
  ): boolean {
    // Whether a name passes depends on the name and the platform only; thousands
    // of datasets repeat a few names.
    if (this.passingProperties.has(name)) return true;
    // the path is built only for a warning (thousands of properties pass)
    const path = () => (typeof at === 'function' ? at() : at);
    if (isUserProperty(name)) {
      const problem = userPropertyProblem(name);
      if (problem) {
        this.warn(path(), `${problem}; not passed to ${command}`, 'fix the property name');
        return false;
      }
      this.passingProperties.add(name);
      return true;
    }
    if (!isDatasetProperty(name)) {
      const guess = didYouMean(name, SETTABLE_PROPERTY_NAMES);
      this.warn(
        path(),
        `unknown ZFS property "${name}": not passed to ${command}, which would refuse the whole command`,
        guess ? `did you mean "${guess}"?` : 'see zfsprops(7) for the property names',
      );
      return false;
    }
    if (propertyInfo('dataset', name)?.readonly) {
      this.warn(
        path(),
        `${name} is a read-only statistic: not passed to ${command}`,
        'remove it from the config',
      );
      return false;
    }
    if (!propertyOnPlatform('dataset', name, this.platform)) {
      this.warn(
        path(),
        `ZFS on ${this.platform} has no property "${name}": not passed to ${command}`,
        'remove it, or plan for another platform',
      );
      return false;
    }
    this.passingProperties.add(name);
    return true;
  }

  /**
   * Leaves of the storage steps (nothing in storage waits on them), replication
   * left out. With many leaves (thousands of datasets) every host step would
   * list them all: one step that waits for them stands in instead,
   * `zfs mount -a`, which also makes sure every file system is mounted before
   * host configuration writes into it.
   */
  lastIds(): string[] {
    const steps = this.b.steps;
    const replication = this.replicationIds;
    const waitedOn = new Set<string>();
    // indexed loops: this reads every storage step and its dependencies once;
    // siblings share one array (`after`), read once for all of them
    let lastDeps: string[] | undefined;
    for (let i = this.firstStep; i < steps.length; i++) {
      const s = steps[i]!;
      if (replication.size && replication.has(s.id)) continue;
      const deps = s.dependsOn;
      if (deps === lastDeps) continue;
      lastDeps = deps;
      for (let j = 0; j < deps.length; j++) waitedOn.add(deps[j]!);
    }
    const leaves: string[] = [];
    for (let i = this.firstStep; i < steps.length; i++) {
      const id = steps[i]!.id;
      if (!(replication.size && replication.has(id)) && !waitedOn.has(id)) leaves.push(id);
    }
    if (leaves.length <= MAX_LAST_IDS || !this.datasetStep.size) return leaves;
    const id = this.uniqueId('storage:mounted');
    this.add(
      {
        id,
        title: `Mount every ZFS file system (after ${leaves.length} storage steps)`,
        argv: ['zfs', 'mount', '-a'],
        // Done when every file system that mounts automatically is mounted: a
        // re-apply then reports nothing changed. Fixed script, no data in it.
        probe: {
          kind: 'command',
          argv: [
            'sh',
            '-c',
            'zfs list -H -o mounted,canmount,mountpoint -t filesystem | awk -F "\t" \'$2 == "on" && $3 != "none" && $3 != "legacy" && $1 != "yes" { bad = 1 } END { exit bad }\'',
          ],
          description: 'every file system that mounts automatically is mounted',
        },
        dependsOn: leaves,
      },
      // step ids, each once, in an array made here: kept as the step's own
      true,
    );
    return [id];
  }
}

/** The mount point `dataset` inherits from `base`, its parent's (`cut`: the parent name's length). */
function joinMountpoint(base: string, dataset: string, cut: number): string {
  // the "/" and last component in one slice
  return base === '/' ? dataset.slice(cut) : base + dataset.slice(cut);
}

/** `a/b/c` → `a/b`; undefined for a pool root. */
export function parentDataset(name: string): string | undefined {
  const i = name.lastIndexOf('/');
  return i < 0 ? undefined : name.slice(0, i);
}

/** Whether a datasetStep id is that of a `zfs create` (tree datasets, volumes, zfs file systems). */
export function isCreateId(id: string): boolean {
  return id.startsWith('dataset:');
}

export function poolOf(name: string): string {
  const i = name.search(/[/@]/);
  return i < 0 ? name : name.slice(0, i);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
