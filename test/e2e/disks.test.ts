/**
 * Real disk classification on this machine (issue 3): three sparse files on
 * loop devices — one free, one in a zfs-fuse pool, one with a mounted ext4 file
 * system — and the root disk, as `slipway disks --json` (the built
 * dist/slipway.js) reports them. Everything created here is removed in afterAll,
 * also when a test fails.
 *
 * Needs root, losetup, mkfs.ext4 and a running zfs-fuse daemon (scripts/setup-e2e.sh
 * prepares them). When they are missing the suite FAILS under CI and is skipped,
 * with the reason in its name, elsewhere.
 */
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/upstream.js';
import { checkDevicesBeforeWrite } from '../../src/disks/guard.js';
import type { Disk } from '../../src/disks/types.js';
import { DISK_CONTRACT_FIELDS } from '../helpers/disks.js';

const CLI = join(repoRoot, 'dist/slipway.js');
const ZPOOL = ['/usr/sbin/zpool', '/sbin/zpool'].find((p) => existsSync(p));

function missingComponents(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (loop devices and pools need it)');
  if (!ZPOOL) missing.push('zpool (zfs-fuse not installed)');
  else if (spawnSync(ZPOOL, ['list'], { encoding: 'utf8' }).status !== 0)
    missing.push('a running zfs-fuse daemon ("zpool list" fails)');
  for (const bin of ['losetup', 'mkfs.ext4', 'mount', 'umount'])
    if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', bin]).status !== 0) missing.push(bin);
  if (!existsSync(CLI)) missing.push(`${CLI} (run "node build/bundle.mjs" first)`);
  return missing;
}

const missing = missingComponents();
const CI = Boolean(process.env.CI);

async function sh(argv: string[]): Promise<string> {
  const r = await execa(argv[0]!, argv.slice(1), { reject: false, env: { LC_ALL: 'C' } });
  if (r.exitCode !== 0)
    throw new Error(`${argv.join(' ')} exited ${r.exitCode}: ${String(r.stderr).trim()}`);
  return String(r.stdout).trim();
}

/** The whole disk holding `/`, found independently of Slipway (mounts + sysfs). */
function rootDiskName(): string | undefined {
  const root = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f[1] === '/')
    .pop();
  if (!root || !root[0]!.startsWith('/dev/')) return undefined;
  const name = basename(realpathSync(root[0]!));
  const sys = `/sys/class/block/${name}`;
  if (existsSync(`${sys}/partition`)) return basename(realpathSync(`${sys}/..`));
  return name;
}

const suite = missing.length && !CI ? describe.skip : describe;
const title =
  missing.length && !CI
    ? `slipway disks on real loop devices — SKIPPED, missing: ${missing.join('; ')}`
    : 'slipway disks on real loop devices and zfs-fuse';

suite(title, () => {
  const pool = `slipwaydisks${process.pid}`;
  let dir = '';
  let mnt = '';
  const files: Record<'free' | 'pool' | 'mounted', string> = { free: '', pool: '', mounted: '' };
  const loops: Partial<Record<'free' | 'pool' | 'mounted', string>> = {};
  let poolCreated = false;
  let mounted = false;
  let disks: Disk[] = [];
  let table = '';

  beforeAll(async () => {
    if (missing.length)
      throw new Error(
        `the disks e2e test needs: ${missing.join('; ')} — run scripts/setup-e2e.sh as root`,
      );
    dir = mkdtempSync('/var/tmp/slipway-disks-e2e-');
    mnt = join(dir, 'mnt');
    mkdirSync(mnt);
    for (const k of ['free', 'pool', 'mounted'] as const) {
      files[k] = join(dir, `${k}.img`);
      await sh(['truncate', '-s', '128M', files[k]]);
      loops[k] = await sh(['losetup', '-f', '--show', files[k]]);
    }
    await sh([ZPOOL!, 'create', '-f', '-m', 'none', pool, loops.pool!]);
    poolCreated = true;
    await sh(['mkfs.ext4', '-q', '-F', loops.mounted!]);
    await sh(['mount', loops.mounted!, mnt]);
    mounted = true;

    const json = await execa('node', [CLI, 'disks', '--json'], { reject: false });
    if (json.exitCode !== 0)
      throw new Error(`slipway disks --json exited ${json.exitCode}: ${String(json.stderr)}`);
    disks = JSON.parse(String(json.stdout)) as Disk[];
    const human = await execa('node', [CLI, 'disks'], { reject: false, env: { NO_COLOR: '1' } });
    expect(human.exitCode).toBe(0);
    table = String(human.stdout);
  }, 120_000);

  afterAll(async () => {
    const problems: string[] = [];
    const attempt = async (argv: string[]) => {
      try {
        await sh(argv);
      } catch (err) {
        problems.push((err as Error).message);
      }
    };
    if (mounted) await attempt(['umount', mnt]);
    if (poolCreated) await attempt([ZPOOL!, 'destroy', '-f', pool]);
    for (const l of Object.values(loops)) if (l) await attempt(['losetup', '-d', l]);
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (problems.length) throw new Error(`cleanup failed: ${problems.join('; ')}`);
  }, 60_000);

  const find = (path: string | undefined) => {
    const d = disks.find((x) => x.path === path);
    if (!d)
      throw new Error(
        `${path} is not in slipway disks --json: ${disks.map((x) => x.path).join(', ')}`,
      );
    return d;
  };

  it('lists the free loop device as free, with its backing file and size', () => {
    const d = find(loops.free);
    expect(d.in_use).toEqual([]);
    expect(d.transport).toBe('loop');
    expect(d.model).toBe(files.free);
    expect(d.size_bytes).toBe(128 * 2 ** 20);
    expect(d.name).toBe(basename(loops.free!));
  });

  it('the loop device in a zfs-fuse pool has a zpool reason naming the pool', () => {
    expect(find(loops.pool).in_use).toContainEqual({ reason: 'zpool', detail: pool });
  });

  it('the loop device with a mounted ext4 file system is mounted, naming the mount point', () => {
    expect(find(loops.mounted).in_use).toContainEqual({ reason: 'mounted', detail: mnt });
  });

  it('the root disk is in use as root', (ctx) => {
    const name = rootDiskName();
    if (!name) return ctx.skip();
    const d = disks.find((x) => x.name === name);
    expect(
      d,
      `root disk ${name} missing from ${disks.map((x) => x.name).join(', ')}`,
    ).toBeDefined();
    expect(d!.in_use.map((u) => u.reason)).toContain('root');
  });

  it('the table shows the reasons and the field names of --json are the contract', () => {
    expect(table).toMatch(new RegExp(`^${basename(loops.pool!)} .*zpool: ${pool}`, 'm'));
    expect(table).toMatch(new RegExp(`^${basename(loops.mounted!)} .*mounted: ${mnt}`, 'm'));
    for (const d of disks) expect(Object.keys(d).sort()).toEqual(DISK_CONTRACT_FIELDS);
  });

  it('the guard refuses the pool and mounted devices and accepts the free one', () => {
    const problems = checkDevicesBeforeWrite([loops.free!, loops.pool!, loops.mounted!], {}, disks);
    expect(problems.map((p) => [p.device, p.kind])).toEqual([
      [loops.pool, 'in-use'],
      [loops.mounted, 'in-use'],
    ]);
  });

  it('--match picks the free loop device by its backing file and refuses the pool one', async () => {
    const sel = join(dir, 'sel.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      sel,
      JSON.stringify([{ model: files.free, transport: 'loop' }, { model: files.pool }]),
    );
    const r = await execa('node', [CLI, 'disks', '--match', sel, '--json'], { reject: false });
    expect(r.exitCode).toBe(2);
    const out = JSON.parse(String(r.stdout)) as {
      picks: { path: string; disks: { path: string }[]; error?: string }[];
      diagnostics: { path: string; hint?: string }[];
    };
    expect(out.picks[0]!.disks.map((d) => d.path)).toEqual([loops.free]);
    expect(out.picks[1]!.disks).toEqual([]);
    expect(out.diagnostics.find((d) => d.path === '[1]')!.hint).toContain(`zpool ${pool}`);
  });
});
