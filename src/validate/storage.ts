/**
 * Storage: pools and their vdevs (what `zpool create` enforces, and what it
 * wants `-f` for), device reuse, datasets (names, tree, quota/reservation,
 * volumes), snapshots, replication, file systems and mounts.
 */
import type {
  DeviceRef,
  DatasetConfig,
  PoolConfig,
  StorageConfig,
  VdevConfig,
  VdevType,
} from '../schema/config.js';
import { formatPath, type PathSegment } from '../schema/diagnostics.js';
import { isNone, parseSize } from '../schema/size.js';
import { budgetOfDataset, checkChildNames, childrenAgainstQuota } from './budget.js';
import { poolCapacity, PARITY } from './capacity.js';
import type { Ctx, NestedIn } from './context.js';
import {
  describeDevice,
  deviceCount,
  deviceKeys,
  normalizeDevicePath,
  parentDisk,
} from './devices.js';
import { datasetNameProblems, poolNameProblems, snapshotNameProblems } from './names.js';
import {
  checkDatasetProperties,
  checkPoolProperties,
  checkSnapshotProperties,
} from './properties.js';
import { duplicates, q, reportNameProblems, type Path, type Report } from './report.js';

// ── vdevs ───────────────────────────────────────────────────────────────────

/** The fewest devices `zpool create` accepts per vdev type. */
export const MIN_DEVICES: Record<VdevType, number> = {
  stripe: 1,
  mirror: 2,
  raidz: 2,
  raidz1: 2,
  raidz2: 3,
  raidz3: 4,
};

type VdevRole = 'data' | 'log' | 'cache' | 'special' | 'dedup';

const ROLE_TYPES: Record<VdevRole, readonly VdevType[] | undefined> = {
  data: undefined,
  log: ['stripe', 'mirror'],
  cache: ['stripe'],
  special: ['stripe', 'mirror'],
  dedup: ['stripe', 'mirror'],
};

function vdevWidth(v: VdevConfig): number {
  return v.devices.reduce((n, d) => n + deviceCount(d), 0);
}

function checkVdev(ctx: Ctx, path: Path, v: VdevConfig, role: VdevRole): void {
  const r = ctx.report;
  const allowed = ROLE_TYPES[role];
  if (allowed && !allowed.includes(v.vdev_type)) {
    r.error(
      [...path, 'vdev_type'],
      role === 'cache'
        ? `cache devices cannot be a ${v.vdev_type}: L2ARC devices are plain devices`
        : `a ${role} vdev cannot be ${v.vdev_type}: only stripe or mirror`,
      role === 'cache' ? 'use "stripe"' : 'use "mirror" (or "stripe")',
    );
  }
  const width = vdevWidth(v);
  const min = MIN_DEVICES[v.vdev_type];
  if (width === 0)
    r.error(
      [...path, 'devices'],
      `this ${v.vdev_type} vdev has no devices`,
      'add devices, or remove the vdev',
    );
  else if (width < min)
    r.error(
      [...path, 'devices'],
      `a ${v.vdev_type} needs at least ${min} devices, this one has ${width}`,
      v.vdev_type === 'mirror'
        ? 'add a second device, or use "stripe" for a single disk (no redundancy)'
        : `add devices, or use a type with less parity (${v.vdev_type === 'raidz3' ? 'raidz2' : v.vdev_type === 'raidz2' ? 'raidz1' : 'mirror'})`,
    );
  else if (v.vdev_type.startsWith('raidz') && width > 255)
    r.error(
      [...path, 'devices'],
      'a raidz vdev has at most 255 devices',
      'split it into several raidz vdevs',
    );
}

/** Redundancy class as zpool compares it: type, parity and width. */
function replication(v: VdevConfig): string {
  const t = v.vdev_type === 'raidz' ? 'raidz1' : v.vdev_type;
  if (t === 'stripe') return 'stripe';
  return `${vdevWidth(v)}-wide ${t}`;
}

function checkPool(ctx: Ctx, path: Path, pool: PoolConfig): void {
  const r = ctx.report;
  if (pool.pool_type === 'lvm') {
    if (
      !/^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$/.test(pool.name) ||
      pool.name === '.' ||
      pool.name === '..'
    )
      r.error(
        [...path, 'name'],
        'an LVM volume group name may contain only letters, digits, "+", "_", "." and "-" and may not start with "-"',
        'rename the volume group, e.g. "vg_data"',
      );
    if (ctx.platform && ctx.platform !== 'linux')
      r.warning(
        [...path, 'pool_type'],
        `LVM exists only on Linux: this pool is ignored on ${ctx.platform}`,
        'use a zpool, or plan for --platform linux',
      );
    if (pool.devices.length === 0)
      r.error(
        [...path, 'devices'],
        'an LVM pool needs at least one device',
        'list its physical volumes in devices',
      );
    const t = pool.topology;
    if (
      t &&
      (t.data.length ||
        t.log.length ||
        t.cache.length ||
        t.spare.length ||
        t.special.length ||
        t.dedup.length)
    )
      r.error(
        [...path, 'topology'],
        'an LVM pool has no ZFS topology',
        'remove topology and list the devices in devices, or make it a zpool',
      );
    if (Object.keys(pool.filesystem_properties).length > 0)
      r.warning(
        [...path, 'filesystem_properties'],
        'filesystem_properties apply to ZFS pools only and are ignored for an LVM pool',
        'remove them',
      );
    return;
  }

  reportNameProblems(ctx, [...path, 'name'], poolNameProblems(pool.name, ctx.platform));
  const topo = pool.topology;
  const data = topo?.data ?? [];
  if (data.length === 0 && pool.devices.length === 0)
    r.error(
      path,
      `pool "${pool.name}" has no data devices`,
      'add vdevs to topology.data, or list disks in devices (striped, no redundancy)',
    );
  if (data.length > 0 && pool.devices.length > 0)
    r.error(
      [...path, 'devices'],
      'both devices and topology.data are given; it is not clear which disks hold the data',
      'move the disks into topology.data vdevs and leave devices empty',
    );
  if (pool.devices.length > 0 && data.length === 0 && pool.devices.length > 1)
    r.warning(
      [...path, 'devices'],
      `the ${pool.devices.length} devices become a stripe: losing any one disk loses the pool`,
      'use topology.data with a mirror or raidz vdev for redundancy, if that is not intended',
    );

  if (topo) {
    const roles: VdevRole[] = ['data', 'log', 'cache', 'special', 'dedup'];
    for (const role of roles)
      topo[role].forEach((v, i) => checkVdev(ctx, [...path, 'topology', role, i], v, role));
    if (
      (topo.special.length ||
        topo.dedup.length ||
        topo.log.length ||
        topo.cache.length ||
        topo.spare.length) &&
      data.length === 0 &&
      pool.devices.length === 0
    )
      r.error(
        [...path, 'topology', 'data'],
        'log, cache, spare, special and dedup devices need at least one data vdev',
        'add a data vdev',
      );

    // Mixed redundancy: zpool create refuses without -f.
    const kinds = new Map<string, number>();
    data.forEach((v, i) => {
      if (vdevWidth(v) >= MIN_DEVICES[v.vdev_type] && !kinds.has(replication(v)))
        kinds.set(replication(v), i);
    });
    if (kinds.size > 1) {
      const list = [...kinds.keys()];
      const idx = [...kinds.values()][1]!;
      r.warning(
        [...path, 'topology', 'data', idx],
        `mismatched replication level: the pool mixes ${list.join(' and ')} data vdevs (zpool create wants -f)`,
        'give all data vdevs the same type and width; the pool is only as redundant as its weakest vdev',
      );
    }
    // Special/dedup vdevs less redundant than the data vdevs.
    const dataFailures = data.length
      ? Math.min(
          ...data.map((v) => (v.vdev_type === 'mirror' ? vdevWidth(v) - 1 : PARITY[v.vdev_type])),
        )
      : 0;
    for (const role of ['special', 'dedup'] as const)
      topo[role].forEach((v, i) => {
        const f = v.vdev_type === 'mirror' ? vdevWidth(v) - 1 : PARITY[v.vdev_type];
        if (f < dataFailures)
          r.warning(
            [...path, 'topology', role, i],
            `this ${role} vdev survives ${f} disk failure${f === 1 ? '' : 's'}, the data vdevs ${dataFailures}: losing it loses the whole pool`,
            `make it a ${dataFailures + 1}-way mirror`,
          );
      });
  }

  checkPoolProperties(ctx, path, pool.name, pool.properties, pool.filesystem_properties);
  checkDatasetProperties(
    ctx,
    path,
    'filesystem_properties',
    pool.filesystem_properties,
    'filesystem',
    'zpool create -O',
  );
  // Mixed disk sizes inside a vdev (when sizes are known).
  const cap = poolCapacity(pool, ctx.disks);
  for (const w of cap.warnings)
    r.warning([...path, ...w.path], w.message, 'use disks of the same size in one vdev');
}

/**
 * The same disk used twice, in one pool or across pools (incl. spares, cache,
 * log), or by a non-ZFS file system on top of a pool's disk.
 */
function checkDeviceReuse(ctx: Ctx, base: Path, storage: StorageConfig): void {
  const uses: { ref: DeviceRef; path: Path }[] = [];
  storage.pools.forEach((pool, p) => {
    const pp = [...base, 'pools', p];
    pool.devices.forEach((ref, i) => uses.push({ ref, path: [...pp, 'devices', i] }));
    const t = pool.topology;
    if (!t) return;
    for (const role of ['data', 'log', 'cache', 'special', 'dedup'] as const)
      t[role].forEach((v, vi) =>
        v.devices.forEach((ref, i) =>
          uses.push({ ref, path: [...pp, 'topology', role, vi, 'devices', i] }),
        ),
      );
    t.spare.forEach((ref, i) => uses.push({ ref, path: [...pp, 'topology', 'spare', i] }));
  });
  storage.filesystems.forEach((fs, i) => {
    if (fs.fstype !== 'zfs' && fs.device.startsWith('/dev/'))
      uses.push({ ref: fs.device, path: [...base, 'filesystems', i, 'device'] });
  });
  const first = new Map<string, Path>();
  const wholeDisks = new Map<string, Path>();
  for (const use of uses) {
    const keys = deviceKeys(use.ref, ctx.disks);
    const clash = keys.map((k) => first.get(k)).find((p) => p !== undefined);
    if (clash) {
      ctx.report.error(
        use.path,
        `${q(describeDevice(use.ref))} is already used at ${formatPath(clash)}`,
        'a disk can be used once: in one vdev of one pool, or by one file system; use another disk',
      );
      continue;
    }
    for (const k of keys) first.set(k, use.path);
    const p = typeof use.ref === 'string' ? use.ref : use.ref.path;
    if (p !== undefined) wholeDisks.set(normalizeDevicePath(p), use.path);
  }
  for (const use of uses) {
    const p = typeof use.ref === 'string' ? use.ref : use.ref.path;
    if (p === undefined) continue;
    const parent = parentDisk(normalizeDevicePath(p));
    const whole = parent !== undefined ? wholeDisks.get(parent) : undefined;
    if (whole)
      ctx.report.error(
        use.path,
        `${q(p)} is a partition of the disk used whole at ${formatPath(whole)}`,
        'zpool relabels a whole disk it is given: use either the whole disk or its partitions',
      );
  }
}

// ── datasets ────────────────────────────────────────────────────────────────

const SLASH = 47;

function sizeField(
  ctx: Ctx,
  base: Path,
  value: string | undefined,
  field: 'quota' | 'reservation',
): number | undefined {
  if (value === undefined || isNone(value)) return undefined;
  const bytes = parseSize(value);
  if (bytes === undefined) {
    ctx.report.error(
      [...base, field],
      `${field} ${q(value)} is not a size`,
      'write a size such as 10G, 1.5T or 512M, or "none"',
    );
    return undefined;
  }
  return bytes;
}

/** Whether the config (or the machine, for a pool not in this config) provides the dataset's pool. */
function checkPoolOf(ctx: Ctx, path: Path, name: string): void {
  const pool = name.split('/')[0]!;
  if (!pool || ctx.pools.has(pool)) return;
  ctx.report.warning(
    path,
    `pool "${pool}" is not created by this config`,
    `it must already exist on the machine${ctx.pools.size ? ` (pools in this config: ${[...ctx.pools.keys()].join(', ')})` : ''}; check the name`,
  );
}

/**
 * One dataset and its children; returns what the subtree takes for sure (its
 * space budget, budget.ts: max of its reservation, its volume size and what its
 * children take). `path` is the dataset's path, and is the walk's own stack:
 * children push their segments onto it and take them off again, so that no path
 * array is made per dataset (only a finding copies it).
 */
function checkDataset(
  ctx: Ctx,
  path: PathSegment[],
  ds: DatasetConfig,
  parent: DatasetConfig | undefined,
  nested: NestedIn | undefined,
): number {
  const r = ctx.report;
  const nameProblems = datasetNameProblems(ds.name);
  const nameOk =
    nameProblems.length === 0 || !reportNameProblems(ctx, [...path, 'name'], nameProblems);
  // startsWith and a character: `${parent.name}/` was a string made per dataset
  if (
    parent &&
    !(ds.name.startsWith(parent.name) && ds.name.charCodeAt(parent.name.length) === SLASH)
  )
    r.error(
      [...path, 'name'],
      `child dataset ${q(ds.name)} is not under its parent ${q(parent.name)}`,
      `its name must start with "${parent.name}/"`,
    );
  else if (!parent && nameOk) {
    if (!ds.name.includes('/'))
      r.warning(
        [...path, 'name'],
        `${q(ds.name)} is a pool's root dataset, which the pool creates itself`,
        "set its properties in the pool's filesystem_properties, or name a dataset below it (pool/name)",
      );
    else checkPoolOf(ctx, [...path, 'name'], ds.name);
  }
  if (nested?.kind === 'zone' && !parent && nameOk) {
    const under = nested.delegated.some((d) => ds.name === d || ds.name.startsWith(`${d}/`));
    if (!under)
      r.warning(
        [...path, 'name'],
        `zone "${nested.name}" can create ${q(ds.name)} only under a dataset delegated to it`,
        nested.delegated.length
          ? `name it under ${nested.delegated.map((d) => `"${d}/"`).join(' or ')}`
          : 'delegate a parent dataset to the zone with properties.dataset',
      );
  }

  const isVolume = typeof ds.dataset_type === 'object';
  let volumeSize: number | undefined;
  if (typeof ds.dataset_type === 'object') {
    const text = ds.dataset_type.volume.size;
    volumeSize = parseSize(text);
    if (volumeSize === undefined || volumeSize === 0)
      r.error(
        [...path, 'dataset_type', 'volume', 'size'],
        `volume size ${q(text)} is not a size`,
        'give the volume a size such as 100G',
      );
    if (ds.children.length > 0)
      r.error(
        [...path, 'children'],
        'a volume cannot have child datasets',
        'move the children under a file system',
      );
  }
  if (isVolume && ds.quota !== undefined && !isNone(ds.quota))
    r.error(
      [...path, 'quota'],
      'a volume cannot have a quota (zfs refuses it)',
      'remove quota: the volume size is its limit',
    );
  const quota = isVolume ? undefined : sizeField(ctx, path, ds.quota, 'quota');
  const reservation = sizeField(ctx, path, ds.reservation, 'reservation');
  if (ds.quota !== undefined) sizeAlsoInProperties(r, path, ds, 'quota');
  if (ds.reservation !== undefined) sizeAlsoInProperties(r, path, ds, 'reservation');
  if (isVolume && ds.properties.volsize !== undefined)
    r.warning(
      [...path, 'properties', 'volsize'],
      'volsize is given both here and as dataset_type.volume.size',
      'keep only dataset_type.volume.size',
    );
  checkDatasetProperties(
    ctx,
    path,
    'properties',
    ds.properties,
    isVolume ? 'volume' : 'filesystem',
    'zfs create',
  );

  // The space budget, in the same walk (a second walk of 10,000 datasets cost
  // more than the budget itself).
  const b = ctx.budget;
  const own = Math.max(reservation ?? 0, volumeSize ?? 0);
  budgetOfDataset(b, path, own, quota, reservation, volumeSize);
  const children = ds.children;
  if (children.length === 0) return own;
  checkChildNames(b, ds);
  const mark = b.report.diagnostics.length;
  const { limit, limitQuota, limitDepth } = b;
  if (quota !== undefined && (!limit || quota < limitQuota)) {
    b.limit = ds;
    b.limitQuota = quota;
    b.limitDepth = path.length;
  }
  const depth = path.length;
  path.push('children', 0);
  let below = 0;
  let each = true;
  for (let i = 0; i < children.length; i++) {
    path[depth + 1] = i;
    const taken = checkDataset(ctx, path, children[i]!, ds, nested);
    below += taken;
    if (quota !== undefined && taken > quota) each = false;
  }
  path.length = depth;
  b.limit = limit;
  b.limitQuota = limitQuota;
  b.limitDepth = limitDepth;
  if (quota !== undefined && children.length > 1)
    childrenAgainstQuota(b, path, quota, below, each, mark);
  return Math.max(own, below);
}

/** A dataset's quota or reservation field also set in its properties. */
function sizeAlsoInProperties(
  r: Report,
  path: Path,
  ds: DatasetConfig,
  field: 'quota' | 'reservation',
): void {
  const inProps = ds.properties[field] ?? ds.properties[field === 'reservation' ? 'reserv' : field];
  if (inProps !== undefined)
    r.warning(
      [...path, 'properties', field],
      `${field} is given both here and as the dataset's ${field} field`,
      `keep only the ${field} field`,
    );
}

// ── the storage section ─────────────────────────────────────────────────────

const FS_PLATFORMS: Record<string, readonly string[]> = {
  zfs: ['illumos', 'freebsd', 'linux'],
  ufs: ['illumos', 'freebsd'],
  ext4: ['linux'],
  xfs: ['linux'],
  btrfs: ['linux'],
  ntfs: ['linux'],
  fat32: ['illumos', 'freebsd', 'linux'],
};

export function checkStorage(
  ctx: Ctx,
  base: Path,
  storage: StorageConfig,
  nested: NestedIn | undefined,
): void {
  const r = ctx.report;
  if (!nested) {
    storage.pools.forEach((pool, i) => checkPool(ctx, [...base, 'pools', i], pool));
    for (const [name, idx] of duplicates(storage.pools, (p) => p.name))
      for (const i of idx.slice(1))
        r.error(
          [...base, 'pools', i, 'name'],
          `pool "${name}" is declared ${idx.length} times`,
          'give each pool a unique name',
        );
    checkDeviceReuse(ctx, base, storage);
  }

  const datasets = storage.zfs_datasets;
  if (datasets.length > 0) {
    ctx.datasetLists.push({ list: datasets, path: [...base, 'zfs_datasets'] });
    const path: PathSegment[] = [...base, 'zfs_datasets', 0];
    const b = ctx.budget;
    for (let i = 0; i < datasets.length; i++) {
      path[path.length - 1] = i;
      const ds = datasets[i]!;
      const taken = checkDataset(ctx, path, ds, undefined, nested);
      b.tops.push(ds);
      b.taken.push(taken);
    }
  }

  storage.filesystems.forEach((fs, i) => {
    const path = [...base, 'filesystems', i];
    if (fs.fstype === 'zfs') {
      const ok = !reportNameProblems(ctx, [...path, 'device'], datasetNameProblems(fs.device));
      if (ok && fs.device.includes('/')) checkPoolOf(ctx, [...path, 'device'], fs.device);
      checkDatasetProperties(ctx, path, 'options', fs.options, 'filesystem', 'zfs create');
      if (fs.format)
        r.warning(
          [...path, 'format'],
          'format does not apply to a zfs file system (it is a dataset)',
          'remove format',
        );
    } else if (
      !fs.device.startsWith('/') &&
      !/^(?:UUID|LABEL|PARTUUID|PARTLABEL)=./.test(fs.device)
    )
      r.error(
        [...path, 'device'],
        `the device ${q(fs.device)} is not an absolute path`,
        'write the device path, e.g. /dev/sdb1 (or UUID=… / LABEL=…)',
      );
    const platforms = FS_PLATFORMS[fs.fstype];
    if (ctx.platform && platforms && !platforms.includes(ctx.platform))
      r.warning(
        [...path, 'fstype'],
        `${fs.fstype} file systems cannot be created on ${ctx.platform}`,
        'use a file system of this platform (zfs works everywhere)',
      );
  });

  storage.mounts.forEach((m, i) => {
    const path = [...base, 'mounts', i];
    if (!m.target.startsWith('/'))
      r.error(
        [...path, 'target'],
        `mount point ${q(m.target)} is not an absolute path`,
        'write it as an absolute path, e.g. /data',
      );
    if (m.source.trim() === '')
      r.error(
        [...path, 'source'],
        'the mount source is empty',
        'name the device, dataset or file system to mount',
      );
  });
  for (const [target, idx] of duplicates(
    storage.mounts,
    (m) => m.target.replace(/\/+$/, '') || '/',
  ))
    for (const i of idx.slice(1))
      r.warning(
        [...base, 'mounts', i, 'target'],
        `${q(target)} is mounted ${idx.length} times`,
        'only the last mount stays visible; remove the others',
      );

  storage.zfs_snapshots.forEach((s, i) => {
    const path = [...base, 'zfs_snapshots', i];
    const dsOk = !reportNameProblems(ctx, [...path, 'dataset'], datasetNameProblems(s.dataset));
    if (!s.schedule)
      reportNameProblems(ctx, [...path, 'name'], snapshotNameProblems(s.name, s.dataset));
    else {
      if (!scheduleOk(s.schedule))
        r.error(
          [...path, 'schedule'],
          `${q(s.schedule)} is not a schedule`,
          'use hourly, daily, weekly, monthly or a 5-field cron expression such as "0 3 * * *"',
        );
      if (s.name_format !== undefined && !s.name_format.includes('%'))
        r.warning(
          [...path, 'name_format'],
          'name_format has no % field, so every scheduled snapshot gets the same name',
          'add a date field, e.g. "auto-%Y%m%d-%H%M"',
        );
      else if (s.name_format !== undefined && /[/@#]/.test(s.name_format))
        r.error(
          [...path, 'name_format'],
          'a snapshot name may not contain "/", "@" or "#"',
          'remove them from name_format',
        );
    }
    if (s.retention?.max_age !== undefined && !/^\d+[smhdwy]$/.test(s.retention.max_age))
      r.error(
        [...path, 'retention', 'max_age'],
        `${q(s.retention.max_age)} is not an age`,
        'write a number and a unit: 12h, 30d, 2w, 1y',
      );
    if (s.retention && !s.schedule)
      r.warning(
        [...path, 'retention'],
        'retention applies to scheduled snapshots only',
        'add a schedule, or remove retention',
      );
    if (dsOk) checkDatasetKnown(ctx, [...path, 'dataset'], s.dataset);
    checkSnapshotProperties(ctx, [...path, 'properties'], s.properties);
  });
  for (const [key, idx] of duplicates(storage.zfs_snapshots, (s) =>
    s.schedule ? undefined : `${s.dataset}@${s.name}`,
  ))
    for (const i of idx.slice(1))
      r.error(
        [...base, 'zfs_snapshots', i, 'name'],
        `snapshot ${q(key)} is declared ${idx.length} times`,
        'give each snapshot a unique name',
      );

  storage.zfs_replication.forEach((rep, i) => {
    const path = [...base, 'zfs_replication', i];
    if (
      !reportNameProblems(ctx, [...path, 'source_dataset'], datasetNameProblems(rep.source_dataset))
    )
      checkDatasetKnown(ctx, [...path, 'source_dataset'], rep.source_dataset);
    const targets = [
      ...(rep.target !== undefined
        ? [{ target: rep.target, ssh: rep.ssh_config, path: [...path, 'target'] }]
        : []),
      ...rep.targets.map((t, j) => ({
        target: t.target,
        ssh: t.ssh_config ?? rep.ssh_config,
        path: [...path, 'targets', j, 'target'],
      })),
    ];
    if (targets.length === 0)
      r.error(path, 'replication has no target', 'add target ("host:pool/dataset"), or targets');
    for (const t of targets) {
      const colon = t.target.indexOf(':');
      const host = colon >= 0 ? t.target.slice(0, colon) : t.ssh?.host;
      const dataset = colon >= 0 ? t.target.slice(colon + 1) : t.target;
      if (!host)
        r.error(
          t.path,
          `${q(t.target)} names no host`,
          'write "host:pool/dataset", or add ssh_config with host',
        );
      if (reportNameProblems(ctx, t.path, datasetNameProblems(dataset))) continue;
    }
    for (const [j, ssh] of [rep.ssh_config, ...rep.targets.map((t) => t.ssh_config)].entries()) {
      if (!ssh) continue;
      const sp = j === 0 ? [...path, 'ssh_config'] : [...path, 'targets', j - 1, 'ssh_config'];
      if (ssh.port !== undefined && (ssh.port < 1 || ssh.port > 65535))
        r.error(
          [...sp, 'port'],
          `port ${ssh.port} is out of range`,
          'use a port from 1 to 65535 (ssh is 22)',
        );
      if (ssh.key_path !== undefined && !ssh.key_path.startsWith('/'))
        r.error(
          [...sp, 'key_path'],
          'key_path is not an absolute path',
          'write the absolute path of the private key',
        );
      if (/\s/.test(ssh.host) || ssh.host === '' || ssh.host.startsWith('-'))
        r.error(
          [...sp, 'host'],
          `${q(ssh.host)} is not a host name`,
          'write a host name or an address',
        );
      if (ssh.user === '' || /\s/.test(ssh.user) || ssh.user.startsWith('-'))
        r.error([...sp, 'user'], `${q(ssh.user)} is not a user name`, 'write the remote user name');
    }
    rep.exclude_properties.forEach((p, j) => {
      if (!p.includes(':') && !/^[a-z_]+$/.test(p))
        r.warning(
          [...path, 'exclude_properties', j],
          `${q(p)} is not a property name`,
          'list ZFS property names such as mountpoint',
        );
    });
    if (rep.schedule !== undefined && !scheduleOk(rep.schedule))
      r.error(
        [...path, 'schedule'],
        `${q(rep.schedule)} is not a schedule`,
        'use hourly, daily, weekly, monthly or a 5-field cron expression',
      );
  });
}

function scheduleOk(s: string): boolean {
  if (['hourly', 'daily', 'weekly', 'monthly'].includes(s)) return true;
  const fields = s.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f) => /^[\d*/,\-A-Za-z]+$/.test(f));
}

/** A dataset referred to (snapshot, replication source): created here, or its pool is not ours. */
function checkDatasetKnown(ctx: Ctx, path: Path, name: string): void {
  const pool = name.split('/')[0]!;
  if (ctx.createdDatasets().has(name) || (ctx.pools.has(pool) && !name.includes('/'))) return;
  if (ctx.pools.has(pool))
    ctx.report.error(
      path,
      `${q(name)} is not created by this config, and its pool "${pool}" is new`,
      'add the dataset to storage.zfs_datasets, or fix the name',
    );
  else checkPoolOf(ctx, path, name);
}
