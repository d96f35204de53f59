/**
 * Datasets and volumes (the `zfs_datasets` tree and `filesystems` of type zfs),
 * snapshots, and replication with `zfs send | ssh … zfs receive`.
 */
import type { DatasetConfig, ReplicationConfig, SshConfig } from '../schema/index.js';
import type { PathSegment } from '../schema/diagnostics.js';
import { canonicalDatasetProperty, isUserProperty } from '../platform/zfs-properties.js';
import {
  FILESYSTEM_ONLY_PROPERTIES,
  VOLUME_ONLY_PROPERTIES,
  type PropertyWord,
  type ZfsVolume,
  zfsCreateArgv,
  zfsReceiveArgv,
  zfsSendArgv,
  zfsSetArgv,
  zfsSnapshotArgv,
  zvolDevicePaths,
} from '../platform/zfs.js';
import { shQuote } from './shell.js';
import { DeferredStep, HOST, type NewStep } from './builder.js';
import { plainHostStepJson, type StepJson } from './describe.js';
import { isCreateId, poolOf, type StorageContext } from './storage-context.js';

/**
 * The dataset being compiled. compileDatasets fills one of these for each
 * dataset in turn (one object for all of them, not one each that would live
 * through the whole compile: 10,000 of them were ~1 MB promoted to the old
 * generation, then thrown away).
 */
interface DatasetEntry {
  name: string;
  /** From the zfs_datasets tree, or (undefined) a `filesystems` entry of type zfs. */
  node: DatasetConfig | undefined;
  /** The index of the `filesystems` entry (no node). */
  fsIndex: number;
  /** The number of "/" in the name. */
  depth: number;
  /**
   * parentDataset(name), undefined for a pool root: the tree parent's own name
   * when it is that (as it is for nearly every child), so that no slice of each
   * of 10,000 names is made, nor hashed again at each lookup of its parent.
   */
  parentName: string | undefined;
  /** Where each tree node is declared, made when a warning first needs one. */
  paths: Map<DatasetConfig, PathSegment[]> | undefined;
  trees: readonly DatasetConfig[];
}

/** The JSON path of an entry's declaration (a new array: callers append to it). */
function entryPath(e: DatasetEntry): PathSegment[] {
  if (!e.node) return ['storage', 'filesystems', e.fsIndex];
  if (!e.paths) {
    const paths = new Map<DatasetConfig, PathSegment[]>();
    const walk = (node: DatasetConfig, path: PathSegment[]) => {
      paths.set(node, path);
      node.children.forEach((c, i) => walk(c, [...path, 'children', i]));
    };
    e.trees.forEach((t, i) => walk(t, ['storage', 'zfs_datasets', i]));
    e.paths = paths;
  }
  return e.paths.get(e.node)!.slice();
}

/**
 * Every dataset the config declares, parents before children: the tree walked
 * depth first, then `filesystems` of type zfs, then ordered by name depth
 * (stable), so that `tank/a/b` never comes before a declared `tank/a`. As lists
 * by depth, each in walk order: read one after the other, that is the stable
 * sort by depth, without a comparator called ~140,000 times for 10,000
 * datasets. A list holds tree nodes (or the index of a `filesystems` entry) and,
 * beside them, their parent names. `parents` gets the parent of each.
 */
function collectDatasets(
  ctx: StorageContext,
  parents: Set<string>,
): ({ items: (DatasetConfig | number)[]; parentNames: (string | undefined)[] } | undefined)[] {
  const byDepth: ReturnType<typeof collectDatasets> = [];
  let lastParent: string | undefined;
  const entry = (name: string, item: DatasetConfig | number, up: string | undefined) => {
    // the depth and the last "/" in one pass over the name
    let depth = 0;
    let slash = -1;
    for (let i = 0; i < name.length; i++)
      if (name.charCodeAt(i) === 47) {
        depth++;
        slash = i;
      }
    let parentName: string | undefined;
    if (slash >= 0) {
      parentName =
        up !== undefined && slash === up.length && name.startsWith(up) ? up : name.slice(0, slash);
      // children of one parent come in a row: one lookup for all of them
      if (parentName !== lastParent) parents.add((lastParent = parentName));
    }
    const list = (byDepth[depth] ??= { items: [], parentNames: [] });
    list.items.push(item);
    list.parentNames.push(parentName);
  };
  const walk = (node: DatasetConfig, up: string | undefined) => {
    entry(node.name, node, up);
    const children = node.children;
    for (let i = 0; i < children.length; i++) walk(children[i]!, node.name);
  };
  const trees = ctx.config.storage.zfs_datasets;
  for (let i = 0; i < trees.length; i++) walk(trees[i]!, undefined);
  const filesystems = ctx.config.storage.filesystems;
  for (let i = 0; i < filesystems.length; i++) {
    const f = filesystems[i]!;
    if (f.fstype === 'zfs') entry(f.device, i, undefined);
  }
  return byDepth;
}

export function compileDatasets(ctx: StorageContext): void {
  const parents = new Set<string>();
  const byDepth = collectDatasets(ctx, parents);
  ctx.parentNames = parents;
  const e: DatasetEntry = {
    name: '',
    node: undefined,
    fsIndex: 0,
    depth: 0,
    parentName: undefined,
    paths: undefined,
    trees: ctx.config.storage.zfs_datasets,
  };
  const filesystems = ctx.config.storage.filesystems;
  for (let d = 0; d < byDepth.length; d++) {
    const list = byDepth[d];
    if (!list) continue;
    const { items, parentNames } = list;
    e.depth = d;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      e.parentName = parentNames[i];
      if (typeof item === 'number') {
        const f = filesystems[item]!;
        e.name = f.device;
        e.node = undefined;
        e.fsIndex = item;
        compileZfsFilesystem(ctx, e, f);
      } else {
        e.name = item.name;
        e.node = item;
        compileTreeDataset(ctx, e, item);
      }
    }
    // done with: nothing reads an entry again (a warning's path is built at once)
    byDepth[d] = undefined;
  }
}

/**
 * Properties of one dataset, checked; quota/reservation fields folded in. A
 * plain object in the order they are passed: argv is made from it and the
 * step's probe keeps it (one object per dataset, not a Map and a copy of it).
 * No name here can be `__proto__` or an array index: only known properties and
 * user properties (with a ":") pass the checks.
 */
function datasetProps(
  ctx: StorageContext,
  e: DatasetEntry,
  props: Record<string, string>,
  propsKey: string,
  command: string,
  volume: boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in props) {
    const value = props[name]!;
    // a name that passed before needs no check, nor a path to warn at
    if (!ctx.propertyPassed(name) && !propertyOkIn(ctx, e, propsKey, name, command)) continue;
    const canonical = canonicalDatasetProperty(name);
    if (volume && FILESYSTEM_ONLY_PROPERTIES.has(canonical)) {
      ctx.warn(
        [...entryPath(e), propsKey, name],
        `${name} does not apply to volumes: not passed to ${command}, which would refuse it`,
        'remove it from the volume',
      );
      continue;
    }
    if (!volume && !isUserProperty(name) && VOLUME_ONLY_PROPERTIES.has(canonical)) {
      ctx.warn(
        [...entryPath(e), propsKey, name],
        `${name} applies to volumes only: not passed to ${command}, which would refuse it`,
        'remove it, or make the dataset a volume: "dataset_type": {"volume": {"size": "…"}}',
      );
      continue;
    }
    out[name] = value;
  }
  return out;
}

/** ctx.datasetPropertyOk of property `name` of `e` (its path is built only for a warning). */
function propertyOkIn(
  ctx: StorageContext,
  e: DatasetEntry,
  propsKey: string,
  name: string,
  command: string,
): boolean {
  return ctx.datasetPropertyOk(name, () => [...entryPath(e), propsKey, name], command);
}

/** The quota or reservation field of a tree dataset, into its properties (it wins, last). */
function foldField(
  ctx: StorageContext,
  e: DatasetEntry,
  props: Record<string, string>,
  key: 'quota' | 'reservation',
  value: string,
  volume: boolean,
): void {
  if (key === 'quota' && volume) {
    ctx.warn(
      [...entryPath(e), key],
      'a volume has no quota: not passed to zfs create',
      'a volume is limited by its size; use reservation or refreservation for space guarantees',
    );
    return;
  }
  const given = props[key];
  if (given !== undefined) {
    if (given !== value)
      ctx.warn(
        [...entryPath(e), 'properties', key],
        `${key} is given twice (${given} in properties, ${value} as a field): the field wins`,
        `keep one of them`,
      );
    delete props[key]; // the field comes last, as it did when added after them
  }
  props[key] = value;
}

function compileTreeDataset(ctx: StorageContext, e: DatasetEntry, node: DatasetConfig): void {
  const volume = typeof node.dataset_type === 'object' ? node.dataset_type.volume : undefined;
  const props = datasetProps(
    ctx,
    e,
    node.properties,
    'properties',
    volume ? 'zfs create -V' : 'zfs create',
    !!volume,
  );
  if (node.quota !== undefined) foldField(ctx, e, props, 'quota', node.quota, !!volume);
  if (node.reservation !== undefined)
    foldField(ctx, e, props, 'reservation', node.reservation, !!volume);

  const known = ctx.datasetStep.get(e.name);
  const parent = e.parentName;
  if ((known !== undefined && isCreateId(known)) || parent === undefined) {
    ensureProperties(ctx, e, props, known);
    return;
  }
  // The parent's step, looked up once: whether -p is needed (the parent is not
  // created here; a pool root never needs it) and, for most, the dependency.
  const parentStep = ctx.datasetStep.get(parent);
  const parents = e.depth > 1 && !(parentStep !== undefined && isCreateId(parentStep));
  const after = known ?? parentStep ?? ctx.nearestDatasetStep(parent);
  let blockSize: string | undefined;
  if (volume) {
    for (const k of Object.keys(props)) {
      const v = props[k]!;
      const c = canonicalDatasetProperty(k);
      if (c === 'volblocksize') blockSize = v;
      if (c === 'volsize' && v !== volume.size)
        ctx.warn(
          [...entryPath(e), 'properties', k],
          `volsize ${v} differs from the volume size ${volume.size}: the size wins`,
          'remove volsize from the properties',
        );
      if (c === 'volblocksize' || c === 'volsize') delete props[k];
    }
  }
  // Strings every step keeps are joined flat: `a + b` (and a template) makes a
  // cons string, a tree node kept beside its pieces, that hashing (the id)
  // later copies flat besides, in old space. Not taken (no uniqueId): only a
  // `zfs create` of this name makes this id, and the name is not created yet.
  const id = ['dataset:', e.name].join('');
  ctx.addDeferred(
    new DatasetCreate(
      id,
      ctx.after(after),
      e.name,
      parents,
      props,
      volume ? { size: volume.size, blockSize } : undefined,
      ctx.propertyWord,
    ),
  );
  ctx.datasetStep.set(e.name, id);
  if (volume) {
    ctx.createdVolumes.add(e.name);
    for (const dev of zvolDevicePaths(ctx.platform, e.name)) ctx.deviceStep.set(dev, id);
  } else ctx.noteMountpoint(e.name, props.mountpoint, props.canmount, id, parent);
}

/**
 * The `zfs create` step of a tree dataset, as what it is made from: its title,
 * argv and probe are made by newStep() (when the builder defers, only as the
 * plan is written). Nothing changes `props` once the step is added.
 */
class DatasetCreate extends DeferredStep {
  // on the prototype: one field fewer in each of 10,000
  get context() {
    return HOST;
  }

  constructor(
    readonly id: string,
    readonly dependsOn: string[],
    private readonly name: string,
    private readonly parents: boolean,
    private readonly props: Record<string, string>,
    private readonly volume: ZfsVolume,
    private readonly word: PropertyWord,
  ) {
    super();
  }

  newStep(): NewStep {
    const { name, props, volume } = this;
    return {
      id: this.id,
      title: createTitle(name, props, volume),
      argv: zfsCreateArgv(name, this.parents, props, volume, this.word),
      probe: { kind: 'dataset-exists', dataset: name, properties: props },
      dependsOn: this.dependsOn,
    };
  }

  json(): StepJson {
    const { name, props, volume } = this;
    return plainHostStepJson(
      this.id,
      createTitle(name, props, volume),
      zfsCreateArgv(name, this.parents, props, volume, this.word),
      this.dependsOn,
      false,
      { kind: 'dataset-exists', dataset: name, properties: props },
    );
  }
}

function createTitle(name: string, props: Record<string, string>, volume: ZfsVolume): string {
  if (volume)
    return `Create volume ${name} of ${volume.size}${volume.blockSize ? ` (${volume.blockSize} blocks)` : ''}`;
  let details = '';
  const mountpoint = props.mountpoint;
  const quota = props.quota;
  const reservation = props.reservation;
  if (mountpoint !== undefined) details = `at ${mountpoint}`;
  if (quota !== undefined) details += `${details ? ', ' : ''}quota ${quota}`;
  if (reservation !== undefined) details += `${details ? ', ' : ''}reservation ${reservation}`;
  // one native join: a flat string, not a chain of joined ones for JSON.stringify to copy flat
  return details
    ? ['Create file system ', name, ' (', details, ')'].join('')
    : ['Create file system ', name].join('');
}

/** `zfs set` on a dataset that exists (a pool root, or created by an earlier step). */
function ensureProperties(
  ctx: StorageContext,
  e: DatasetEntry,
  props: Record<string, string>,
  known = ctx.datasetStep.get(e.name),
): void {
  const names = Object.keys(props);
  if (!names.length) return;
  const before = known ?? ctx.nearestDatasetStep(e.name);
  const id = ctx.uniqueId(`zfs-set:${e.name}`);
  ctx.add({
    id,
    title: `Set ${names.map((k) => `${k}=${props[k]}`).join(', ')} on ${e.name}`,
    argv: zfsSetArgv(e.name, props),
    probe: { kind: 'dataset-properties', dataset: e.name, properties: props },
    dependsOn: before ? [before] : [],
  });
  if (known === undefined) ctx.datasetStep.set(e.name, id);
  if (props.mountpoint !== undefined || !ctx.mountpointNoted(e.name, known !== undefined))
    ctx.noteMountpoint(e.name, props.mountpoint, props.canmount, id, e.parentName);
}

/**
 * A `filesystems` entry of type zfs: `device` is the dataset, `options` its
 * properties. It is created (`zfs create`) when `format` is true or when its
 * pool is created by this plan (on a new pool it cannot exist yet); otherwise
 * (`format: false` on an existing pool) its properties are ensured with
 * `zfs set`. A dataset that the zfs_datasets tree already creates gets a
 * `zfs set` after its creation.
 */
function compileZfsFilesystem(
  ctx: StorageContext,
  e: DatasetEntry,
  fs: { options: Record<string, string>; format: boolean },
): void {
  const create =
    !ctx.created(e.name) &&
    e.parentName !== undefined &&
    (fs.format || ctx.createdPools.has(poolOf(e.name)));
  const props = datasetProps(
    ctx,
    e,
    fs.options,
    'options',
    create ? 'zfs create' : 'zfs set',
    false,
  );
  if (!create) {
    ensureProperties(ctx, e, props);
    return;
  }
  const parent = e.parentName!;
  const after = ctx.nearestDatasetStep(e.name);
  const id = ctx.uniqueId(`dataset:${e.name}`);
  const mp = props.mountpoint;
  ctx.add({
    id,
    title: `Create file system ${e.name}${mp ? ` (at ${mp})` : ''}`,
    argv: zfsCreateArgv(e.name, e.depth > 1 && !ctx.created(parent), props),
    probe: { kind: 'dataset-exists', dataset: e.name, properties: props },
    dependsOn: after ? [after] : [],
  });
  ctx.datasetStep.set(e.name, id);
  ctx.noteMountpoint(e.name, mp, props.canmount, id, parent);
}

// ── snapshots ──────────────────────────────────────────────────────────────

interface DeclaredSnapshot {
  dataset: string;
  name: string;
  recursive: boolean;
  stepId: string;
}

export function compileSnapshots(ctx: StorageContext): DeclaredSnapshot[] {
  const out: DeclaredSnapshot[] = [];
  ctx.config.storage.zfs_snapshots.forEach((snap, i) => {
    // An entry with a schedule is a policy that keeps running on the installed
    // machine (its own scheduler entry), not a one-off snapshot taken here.
    if (snap.schedule) return;
    const path: PathSegment[] = ['storage', 'zfs_snapshots', i];
    const props: [string, string][] = [];
    for (const [k, v] of Object.entries(snap.properties)) {
      const p = [...path, 'properties', k];
      if (!isUserProperty(k)) {
        ctx.warn(
          p,
          `"${k}" is not a user property: Slipway passes only user properties (names with ":") to zfs snapshot`,
          'use a name like com.example:retention',
        );
        continue;
      }
      if (ctx.datasetPropertyOk(k, p, 'zfs snapshot')) props.push([k, v]);
    }
    const full = `${snap.dataset}@${snap.name}`;
    const deps = new Set<string>();
    const own = ctx.nearestDatasetStep(snap.dataset);
    if (own) deps.add(own);
    if (snap.recursive) {
      const prefix = `${snap.dataset}/`;
      for (const [ds, id] of ctx.datasetStep) if (ds.startsWith(prefix)) deps.add(id);
    }
    const id = ctx.uniqueId(`snapshot:${full}`);
    ctx.add({
      id,
      title: `Snapshot ${full}${snap.recursive ? ' and everything below it' : ''}`,
      argv: zfsSnapshotArgv(full, snap.recursive, props),
      probe: { kind: 'snapshot-exists', snapshot: full },
      dependsOn: [...deps],
    });
    out.push({ dataset: snap.dataset, name: snap.name, recursive: snap.recursive, stepId: id });
  });
  return out;
}

// ── replication ────────────────────────────────────────────────────────────

export interface ReplicationDestination {
  host?: string | undefined;
  user?: string | undefined;
  port?: number | undefined;
  key?: string | undefined;
  dataset: string;
}

const TARGET = /^(?:([^@/:]+)@)?([^/:@]+):(.+)$/;

/**
 * Where a replication goes. `target` is `[user@]host:pool/dataset` or a bare
 * `pool/dataset`. `ssh_config` holds the connection details and wins over what
 * `target` says: its host, user, port and key are used, and the host part of
 * `target` only names the dataset's side (the upstream example writes
 * `backup-server:backup/databases` with ssh_config host
 * `backup-server.example.com`: Slipway connects to `backup-server.example.com`).
 * A target with no host and no ssh_config is a local `zfs receive`.
 */
export function replicationDestination(t: {
  target: string;
  ssh_config?: SshConfig | undefined;
}): ReplicationDestination {
  const m = TARGET.exec(t.target);
  const ssh = t.ssh_config;
  return {
    dataset: m ? m[3]! : t.target,
    host: ssh?.host ?? m?.[2],
    user: ssh?.user ?? m?.[1],
    port: ssh?.port,
    key: ssh?.key_path,
  };
}

/**
 * `ssh [-p PORT] [-i KEY] -o BatchMode=yes -- [USER@]HOST remote…`. ssh joins
 * the remote words into one string for the remote shell, so every word is
 * shell-quoted here: a dataset name can never become shell syntax. `--` before
 * the destination keeps a host name from being read as an option; BatchMode
 * makes ssh fail instead of prompting for a password with no one there.
 */
export function sshArgv(t: ReplicationDestination, remote: readonly string[]): string[] {
  return [
    'ssh',
    ...(t.port !== undefined ? ['-p', String(t.port)] : []),
    ...(t.key ? ['-i', t.key] : []),
    '-o',
    'BatchMode=yes',
    '--',
    t.user ? `${t.user}@${t.host}` : t.host!,
    ...remote.map(shQuote),
  ];
}

/**
 * Each replication sends snapshots that this config declares, once, at install:
 * - the snapshot to send is the last one-off snapshot declared for
 *   `source_dataset` (or a recursive one of an ancestor, which covers it);
 *   with `recursive` (and a recursive snapshot) it is sent with `-R` (the
 *   dataset, its descendants and their properties), otherwise with `-p`, so
 *   that the properties travel and `exclude_properties` (`zfs receive -x`)
 *   has something to exclude;
 * - full/send: one full stream of that snapshot;
 * - incremental: there is no common snapshot on the target at first boot, so
 *   the first stream is full (of the first declared snapshot); with two or more
 *   declared snapshots a second step sends `-I @first` up to the last. Later
 *   runs belong to a snapshot/replication policy (`schedule`), not to the
 *   installer: an entry with a schedule, or whose source a scheduled snapshot
 *   covers, is left to that policy;
 * - no snapshot declared: the plan warns and takes `DATASET@slipway-repl-N`
 *   itself (N = the replication's index, so the name is stable across runs),
 *   recursive when the replication is;
 * - every destination (`target` and each of `targets`) gets its own send.
 * `zfs receive -u` (no mount on the receiving side); `-F` only with
 * `overwrite_diverged` (it rolls the target back). Done when the journal says
 * so: a send has no cheap remote check.
 */
export function compileReplication(ctx: StorageContext, snapshots: DeclaredSnapshot[]): void {
  ctx.config.storage.zfs_replication.forEach((r, i) => {
    const path: PathSegment[] = ['storage', 'zfs_replication', i];
    const src = r.source_dataset;
    // A replication with a schedule, or whose source a snapshot policy covers,
    // keeps running under that policy (`slipway snapshot run`), which makes the
    // first full send itself: no one-off send here.
    const covered = ctx.config.storage.zfs_snapshots.some(
      (s) =>
        s.schedule !== undefined &&
        (s.dataset === src || (s.recursive && src.startsWith(`${s.dataset}/`))),
    );
    if (r.schedule !== undefined || covered) return;
    const destinations = [
      ...(r.target !== undefined
        ? [{ target: r.target, ssh_config: r.ssh_config, path: [...path, 'target'] }]
        : []),
      ...r.targets.map((t, j) => ({ ...t, path: [...path, 'targets', j, 'target'] })),
    ];
    if (!destinations.length) {
      ctx.error(
        path,
        `replication of ${src} has no target`,
        'give target (and ssh_config) or targets',
      );
      return;
    }
    let snaps = snapshots.filter(
      (s) => s.dataset === src || (s.recursive && src.startsWith(`${s.dataset}/`)),
    );
    if (!snaps.length) {
      const name = `slipway-repl-${i}`;
      ctx.warn(
        [...path, 'source_dataset'],
        `no snapshot of ${src} is declared: the plan takes ${src}@${name} to send`,
        'declare the snapshot to send in storage.zfs_snapshots',
      );
      const deps = new Set<string>();
      const own = ctx.nearestDatasetStep(src);
      if (own) deps.add(own);
      if (r.recursive)
        for (const [ds, id] of ctx.datasetStep) if (ds.startsWith(`${src}/`)) deps.add(id);
      const id = ctx.uniqueId(`snapshot:${src}@${name}`);
      ctx.add({
        id,
        title: `Snapshot ${src}@${name}${r.recursive ? ' and everything below it' : ''} to replicate`,
        argv: zfsSnapshotArgv(`${src}@${name}`, r.recursive, []),
        probe: { kind: 'snapshot-exists', snapshot: `${src}@${name}` },
        dependsOn: [...deps],
      });
      snaps = [{ dataset: src, name, recursive: r.recursive, stepId: id }];
    }
    const last = snaps[snaps.length - 1]!;
    const first = r.replication_type === 'incremental' ? snaps[0]! : last;
    if (r.recursive && !(first.recursive && last.recursive))
      ctx.warn(
        [...path, 'recursive'],
        `the snapshot of ${src} to send is not recursive: only ${src} itself is sent`,
        'make the snapshot recursive ("recursive": true in zfs_snapshots)',
      );
    if (!r.exclude_properties.includes('mountpoint'))
      ctx.warn(
        [...path, 'exclude_properties'],
        `the received copy of ${src} keeps the source's mountpoint and mounts there when the receiving side next imports its pool`,
        'add "mountpoint" to exclude_properties',
      );
    const replicate = r.recursive && first.recursive && last.recursive;
    for (const d of destinations) compileSend(ctx, r, d, first, last, replicate);
  });
}

function compileSend(
  ctx: StorageContext,
  r: ReplicationConfig,
  d: { target: string; ssh_config?: SshConfig | undefined; path: PathSegment[] },
  first: DeclaredSnapshot,
  last: DeclaredSnapshot,
  replicate: boolean,
): void {
  const src = r.source_dataset;
  const t = replicationDestination(d);
  const written = TARGET.exec(d.target)?.[2];
  if (d.ssh_config && written) {
    const host = d.ssh_config.host;
    if (written !== host && written !== host.split('.')[0])
      ctx.warn(
        d.path,
        `target names host ${written} but ssh_config.host is ${host}: Slipway connects to ${host}`,
        'write the same host in both, or leave the host out of target',
      );
  }
  const receive = zfsReceiveArgv(t.dataset, r.exclude_properties, r.overwrite_diverged);
  const pipeTo = t.host ? sshArgv(t, receive) : receive;
  const where = t.host ? `${t.user ? `${t.user}@` : ''}${t.host}:${t.dataset}` : t.dataset;
  const base = `replicate:${src}->${d.target}`;
  const fullId = ctx.uniqueId(base);
  ctx.add({
    id: fullId,
    title:
      `Send ${src}@${first.name}${replicate ? ' and its descendants' : ''} to ${where}` +
      (r.replication_type === 'incremental'
        ? ' (full stream: first run of incremental replication)'
        : ''),
    argv: zfsSendArgv({
      snapshot: `${src}@${first.name}`,
      replicate,
      props: true,
    }),
    pipeTo,
    probe: { kind: 'journal', description: `${src}@${first.name} was sent to ${where}` },
    dependsOn: [first.stepId],
  });
  ctx.replicationIds.add(fullId);
  if (first === last) return;
  const incId = ctx.uniqueId(`${base}:incremental`);
  ctx.add({
    id: incId,
    title: `Send the changes of ${src} from @${first.name} to @${last.name} to ${where}`,
    argv: zfsSendArgv({
      snapshot: `${src}@${last.name}`,
      replicate,
      props: true,
      from: `@${first.name}`,
    }),
    pipeTo,
    probe: { kind: 'journal', description: `${src}@${last.name} was sent to ${where}` },
    dependsOn: [fullId, last.stepId],
  });
  ctx.replicationIds.add(incId);
}
