/**
 * Non-ZFS file systems (mkfs/newfs), the LVM logical volumes they live on, and
 * mounts (with their fstab/vfstab line when persistent).
 */
import type { PathSegment } from '../schema/diagnostics.js';
import {
  ALWAYS_PRESENT_DIRS,
  appendLineArgv,
  fstabLine,
  fstabPath,
  hasLineArgv,
  isMountedProbe,
  mkfsCommand,
  mkfsTypes,
  mountArgv,
} from '../platform/fs.js';
import type { StorageContext, VolumeGroup } from './storage-context.js';

/**
 * A device-mapper name `vg-lv` with `-` inside names doubled
 * (`docker--pool-docker--data` → docker-pool / docker-data), or `/dev/VG/LV`.
 */
export function logicalVolumeOf(
  device: string,
  groups: ReadonlyMap<string, VolumeGroup>,
): { vg: string; lv: string } | undefined {
  if (device.startsWith('/dev/mapper/')) {
    const name = device.slice('/dev/mapper/'.length);
    for (let i = 0; i < name.length; i++) {
      if (name[i] !== '-') continue;
      if (name[i + 1] === '-') {
        i++;
        continue;
      }
      const vg = name.slice(0, i).replace(/--/g, '-');
      const lv = name.slice(i + 1).replace(/--/g, '-');
      return groups.has(vg) && lv ? { vg, lv } : undefined;
    }
    return undefined;
  }
  const m = /^\/dev\/([^/]+)\/([^/]+)$/.exec(device);
  return m && groups.has(m[1]!) ? { vg: m[1]!, lv: m[2]! } : undefined;
}

/**
 * The unified config has no place for logical volumes, yet its LVM examples
 * format and mount `/dev/mapper/VG-LV`. When such a device is on a volume group
 * this plan creates, the plan creates the logical volume with the group's free
 * space (shared equally when several are named), striped over the group's disks
 * when `stripe_size` is given (`lvcreate -i DISKS -I SIZE`), and says so.
 */
function compileLogicalVolumes(ctx: StorageContext): void {
  if (!ctx.volumeGroups.size) return;
  const wanted = new Map<string, { vg: string; lv: string; device: string; path: PathSegment[] }>();
  const consider = (device: string, path: PathSegment[]) => {
    const lv = logicalVolumeOf(device, ctx.volumeGroups);
    const key = lv && `${lv.vg}/${lv.lv}`;
    if (lv && key && !wanted.has(key)) wanted.set(key, { ...lv, device, path });
  };
  ctx.config.storage.filesystems.forEach((f, i) =>
    consider(f.device, ['storage', 'filesystems', i, 'device']),
  );
  ctx.config.storage.mounts.forEach((m, i) =>
    consider(m.source, ['storage', 'mounts', i, 'source']),
  );
  const perGroup = new Map<string, number>();
  for (const w of wanted.values()) perGroup.set(w.vg, (perGroup.get(w.vg) ?? 0) + 1);
  for (const w of wanted.values()) {
    const group = ctx.volumeGroups.get(w.vg)!;
    const share = perGroup.get(w.vg)!;
    const extents = share === 1 ? '100%FREE' : `${Math.floor(100 / share)}%VG`;
    const stripes =
      group.properties.stripes ??
      (group.properties.stripe_size ? String(group.devices) : undefined);
    const stripeArgs = [
      ...(stripes && Number(stripes) > 1 ? ['-i', stripes] : []),
      ...(group.properties.stripe_size && stripes && Number(stripes) > 1
        ? ['-I', group.properties.stripe_size]
        : []),
    ];
    ctx.warn(
      w.path,
      `logical volume ${w.lv} is not declared anywhere: the plan creates it in ${w.vg} with ${share === 1 ? 'all the free space' : `${Math.floor(100 / share)}% of the group`}`,
      `create ${w.vg}/${w.lv} yourself before apply to choose its size (apply then skips this step)`,
    );
    const id = ctx.uniqueId(`lvm:lv:${w.vg}/${w.lv}`);
    ctx.add({
      id,
      title: `Create logical volume ${w.lv} in ${w.vg} (${extents}${stripeArgs.length ? `, striped over ${stripes} disks` : ''})`,
      // -y: lvcreate asks before wiping a signature found in the new extents.
      argv: ['lvcreate', '-y', '-n', w.lv, '-l', extents, ...stripeArgs, w.vg],
      probe: {
        kind: 'command',
        argv: ['lvs', `${w.vg}/${w.lv}`],
        description: `logical volume ${w.vg}/${w.lv} exists`,
      },
      dependsOn: [group.stepId],
    });
    ctx.deviceStep.set(w.device, id);
    ctx.deviceStep.set(`/dev/${w.vg}/${w.lv}`, id);
  }
}

/** `filesystems` other than zfs, with `format: true`: mkfs/newfs. */
export function compileFilesystems(ctx: StorageContext): void {
  compileLogicalVolumes(ctx);
  ctx.config.storage.filesystems.forEach((f, i) => {
    if (f.fstype === 'zfs' || !f.format) return;
    const path: PathSegment[] = ['storage', 'filesystems', i];
    const cmd = mkfsCommand(ctx.platform, f.fstype, f.device, f.options);
    if (!cmd) {
      ctx.warn(
        [...path, 'fstype'],
        `${f.fstype} cannot be created on ${ctx.platform}: ${f.device} is not formatted`,
        `file systems Slipway can make on ${ctx.platform}: ${mkfsTypes(ctx.platform).join(', ')} (and zfs)`,
      );
      return;
    }
    for (const name of cmd.unknownOptions)
      ctx.warn(
        [...path, 'options', name],
        `${cmd.argv[0]} has no option "${name}": not used`,
        'see the mkfs options in the Slipway schema description',
      );
    const before = ctx.deviceStep.get(f.device);
    const id = ctx.uniqueId(`fs:${f.device}`);
    ctx.add({
      id,
      title: `Create ${f.fstype} file system on ${f.device}`,
      argv: cmd.argv,
      stdin: cmd.stdin,
      probe: { kind: 'command', argv: cmd.probeArgv, description: cmd.probeDescription },
      dependsOn: before ? [before] : [],
      destroys: true,
      devices: [f.device],
    });
    ctx.deviceStep.set(f.device, id);
  });
}

/** Mount types that the platform's mount does not know by that name. */
function mountTypeProblem(platform: string, fstype: string | undefined): string | undefined {
  if (!fstype) return undefined;
  if (platform === 'linux' && fstype === 'ufs')
    return 'Linux mounts UFS read-only at best (type ufs with ufstype=…)';
  if (platform !== 'linux' && ['ext4', 'ext3', 'xfs', 'btrfs'].includes(fstype))
    return `${platform} has no ${fstype} file system`;
  return undefined;
}

export function compileMounts(ctx: StorageContext): void {
  const mounts = ctx.config.storage.mounts
    .map((m, i) => ({ m, i }))
    // Parents first: /var before /var/lib/docker.
    .sort((a, b) => depth(a.m.target) - depth(b.m.target) || a.i - b.i);
  for (const { m, i } of mounts) {
    const path: PathSegment[] = ['storage', 'mounts', i];
    const problem = mountTypeProblem(ctx.platform, m.fstype);
    if (problem) {
      ctx.warn(
        [...path, 'fstype'],
        `${problem}: the mount of ${m.target} is skipped`,
        'use a file system of this platform, or plan for another platform',
      );
      continue;
    }
    if (!m.target.startsWith('/')) {
      ctx.error(
        [...path, 'target'],
        `mount target "${m.target}" is not an absolute path`,
        'write the mount point from the root, e.g. "/srv/data"',
      );
      continue;
    }
    const deps = ctx.stepsAbove(m.target);
    const sourceStep = ctx.deviceStep.get(m.source) ?? ctx.datasetStep.get(m.source);
    if (sourceStep) deps.push(sourceStep);
    if (!ALWAYS_PRESENT_DIRS.has(m.target) && !ctx.mountStep.has(m.target)) {
      const mkdirId = ctx.uniqueId(`mkdir:${m.target}`);
      ctx.add({
        id: mkdirId,
        title: `Create the mount point ${m.target}`,
        argv: ['mkdir', '-p', m.target],
        probe: {
          kind: 'command',
          argv: ['test', '-d', m.target],
          description: `${m.target} is a directory`,
        },
        dependsOn: ctx.stepsAbove(m.target),
      });
      deps.push(mkdirId);
    }
    const probe = isMountedProbe(ctx.platform, m.target);
    const id = ctx.uniqueId(`mount:${m.target}`);
    ctx.add({
      id,
      title: mountTitle(m),
      argv: mountArgv(ctx.platform, m),
      probe: { kind: 'command', ...probe },
      dependsOn: deps,
    });
    ctx.mountStep.set(m.target, id);
    if (!m.persistent) continue;
    const file = fstabPath(ctx.platform);
    const line = fstabLine(ctx.platform, m);
    ctx.add({
      id: ctx.uniqueId(`fstab:${m.target}`),
      title: `Mount ${m.target} at boot: add it to ${file}`,
      argv: appendLineArgv(line, file),
      probe: {
        kind: 'command',
        argv: hasLineArgv(line, file),
        description: `${file} has the line for ${m.target}`,
      },
      dependsOn: [id],
    });
  }
}

/** "Mount tmpfs on /tmp (size=4G,mode=1777)", "Mount /dev/x on /data (ext4, noatime)". */
function mountTitle(m: {
  source: string;
  target: string;
  fstype?: string | undefined;
  options: string[];
}): string {
  const details = [
    ...(m.fstype && m.fstype !== m.source ? [m.fstype] : []),
    ...(m.options.length ? [m.options.join(',')] : []),
  ];
  return `Mount ${m.source} on ${m.target}${details.length ? ` (${details.join(', ')})` : ''}`;
}

function depth(p: string): number {
  return p.split('/').filter(Boolean).length;
}
