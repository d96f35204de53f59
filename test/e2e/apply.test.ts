/**
 * `slipway apply` against real components: zfs-fuse pools on sparse files and a
 * loop device, podman containers from the local Debian image, users, keys and a
 * script inside them. No mocks. Needs root and scripts/setup-e2e.sh (npm test
 * runs it), and the built CLI (dist/slipway.js).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as env from '../fixtures/apply/e2e-env.mjs';

interface Workload {
  work: string;
  pool: string;
  prefix: string;
  loop: string;
  keys: string[];
  hash: string;
  vars: Record<string, string>;
  config: Record<string, unknown>;
  configPath: string;
  loops: string[];
  mounts: string[];
  cleanup(): string[];
}

interface StepEv {
  event: 'step';
  id: string;
  status: 'running' | 'ok' | 'skipped' | 'failed';
  context: { kind: string; name?: string };
  output_tail: string;
  title: string;
  elapsed_ms: number;
}
interface SummaryEv {
  event: 'summary';
  changed: number;
  skipped: number;
  failed: number;
}
type Ev = StepEv | SummaryEv;

interface Run {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: Ev[];
}

const unavailable: string | null = env.e2eAvailable();
const CLI = join(env.REPO, 'dist', 'slipway.js');

function sh(argv: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function ok(argv: string[]): string {
  const r = sh(argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

function parseEvents(stdout: string): Ev[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Ev);
}

/**
 * Run `slipway apply CONFIG --yes --progress ndjson` in its own process group.
 * With `killAfterOk`, SIGKILL the whole group right after that many `ok` events
 * (an apply dying at a step boundary, with whatever else was running).
 */
function apply(config: string, extra: string[] = [], killAfterOk?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CLI, 'apply', config, '--yes', '--progress', 'ndjson', ...extra],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let oks = 0;
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (killAfterOk === undefined || killed) return;
      oks = parseEvents(stdout.slice(0, stdout.lastIndexOf('\n') + 1)).filter(
        (e) => e.event === 'step' && e.status === 'ok',
      ).length;
      if (oks >= killAfterOk) {
        killed = true;
        process.kill(-child.pid!, 'SIGKILL');
      }
    });
    child.stderr.on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
      resolve({ pid: child.pid!, code, signal, stdout, stderr, events: parseEvents(complete) });
    });
  });
}

/** Wait until no process of the killed group is left (commands it had started). */
async function groupGone(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const summary = (r: Run) => r.events.find((e): e is SummaryEv => e.event === 'summary');
const stepIds = (r: Run, status: StepEv['status']) =>
  r.events.filter((e): e is StepEv => e.event === 'step' && e.status === status).map((e) => e.id);

function zfsGet(dataset: string, props: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of ok([
    'zfs',
    'get',
    '-H',
    '-p',
    '-o',
    'property,value',
    props.join(','),
    dataset,
  ]).split('\n')) {
    const [k, ...v] = line.split('\t');
    if (k) out[k] = v.join('\t');
  }
  return out;
}

interface Inspect {
  State: { Running: boolean; Status: string; CgroupPath: string };
  HostConfig: {
    Memory: number;
    NanoCpus: number;
    CpuQuota: number;
    CpuPeriod: number;
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
  };
  Mounts: { Source: string; Destination: string; Type: string; RW: boolean }[];
  Config: { Env: string[] };
}

function inspect(name: string): Inspect {
  return (JSON.parse(ok(['podman', 'inspect', name])) as Inspect[])[0]!;
}

function inspectId(name: string): string {
  return ok(['podman', 'inspect', '--format', '{{.Id}}', name]).trim();
}

/** The kernel's memory limit of a running container, from the cgroup podman inspect names. */
function cgroupMemoryLimit(i: Inspect): number {
  const path = i.State.CgroupPath;
  for (const f of [
    `/sys/fs/cgroup/memory${path}/memory.limit_in_bytes`,
    `/sys/fs/cgroup${path}/memory.max`,
  ])
    if (existsSync(f)) return Number(readFileSync(f, 'utf8').trim());
  throw new Error(`no memory limit file for the cgroup ${path}`);
}

/** podman records `podman update` in the container (inspect shows it) from 5.1 on. */
function podmanRecordsUpdate(): boolean {
  const [major = 0, minor = 0] = ok(['podman', 'version', '--format', '{{.Client.Version}}'])
    .trim()
    .split('.')
    .map(Number);
  return major > 5 || (major === 5 && minor >= 1);
}

function cpus(h: Inspect['HostConfig']): number {
  if (h.NanoCpus) return h.NanoCpus / 1e9;
  return h.CpuQuota / h.CpuPeriod;
}

/** The machine state that the e2e config describes, read from the real tools. */
function assertState(w: Workload): void {
  const MiB = 1024 * 1024;
  // pool topology
  const status = ok(['zpool', 'status', w.pool]);
  expect(status).toMatch(/state: ONLINE/);
  const section = (name: string) => {
    const m = new RegExp(`\\n\\t${name}\\b([\\s\\S]*?)(?=\\n\\t[a-z]|\\n\\n|$)`).exec(status);
    return m?.[1] ?? '';
  };
  expect(status).toMatch(/raidz1-0\s+ONLINE/);
  for (const d of ['disk0', 'disk1', 'disk2']) expect(status).toContain(join(w.work, d));
  expect(section('logs')).toMatch(/mirror-\d+\s+ONLINE/);
  expect(section('logs')).toContain(join(w.work, 'log0'));
  expect(section('logs')).toContain(join(w.work, 'log1'));
  // zfs-fuse names a /dev device by its short name
  expect(section('cache')).toMatch(new RegExp(`\\s(/dev/)?${basename(w.loop)}\\s+ONLINE`));
  expect(section('spares')).toContain(join(w.work, 'spare0'));

  // datasets and properties
  const data = zfsGet(`${w.pool}/data`, ['quota', 'recordsize', 'com.slipway:role', 'mountpoint']);
  expect(data).toEqual({
    quota: String(200 * MiB),
    recordsize: String(64 * 1024),
    'com.slipway:role': 'data',
    mountpoint: join(w.work, 'mnt', 'data'),
  });
  expect(zfsGet(`${w.pool}`, ['atime'])).toEqual({ atime: 'off' });
  expect(zfsGet(`${w.pool}/data/web`, ['reservation', 'com.slipway:owner'])).toEqual({
    reservation: String(16 * MiB),
    'com.slipway:owner': 'web team',
  });
  expect(zfsGet(`${w.pool}/data/db`, ['quota', 'recordsize', 'com.slipway:backup'])).toEqual({
    quota: String(64 * MiB),
    recordsize: String(16 * 1024),
    'com.slipway:backup': 'nightly',
  });
  // the recursive snapshot, with its user property on every snapshot it made
  for (const ds of ['data', 'data/web', 'data/db'])
    expect(zfsGet(`${w.pool}/${ds}@initial`, ['type', 'com.slipway:note'])).toEqual({
      type: 'snapshot',
      'com.slipway:note': 'before containers',
    });

  // containers
  const web = inspect(`${w.prefix}-web`);
  const db = inspect(`${w.prefix}-db`);
  expect(web.State.Running).toBe(true);
  expect(db.State.Running).toBe(true);
  expect(web.HostConfig.Memory).toBe(128 * MiB);
  expect(db.HostConfig.Memory).toBe(256 * MiB);
  expect(cpus(web.HostConfig)).toBeCloseTo(0.5);
  expect(cpus(db.HostConfig)).toBeCloseTo(1);
  expect(web.HostConfig.PortBindings['80/tcp']).toEqual([
    { HostIp: '127.0.0.1', HostPort: w.vars.PORT1 },
  ]);
  expect(db.HostConfig.PortBindings['5432/tcp']).toEqual([
    { HostIp: '127.0.0.1', HostPort: w.vars.PORT2 },
  ]);
  expect(web.Mounts).toContainEqual(
    expect.objectContaining({ Source: join(w.work, 'mnt/data/web'), Destination: '/srv/web' }),
  );
  expect(db.Mounts).toContainEqual(
    expect.objectContaining({ Source: join(w.work, 'mnt/data/db'), Destination: '/var/lib/db' }),
  );
  expect(web.Config.Env).toContain('SITE=e2e');

  // nested users, keys, password, script — read inside the containers
  const exec = (name: string, ...argv: string[]) =>
    ok(['podman', 'exec', `${w.prefix}-${name}`, ...argv]);
  expect(exec('web', 'getent', 'passwd', 'deploy')).toMatch(
    /^deploy:x:\d+:\d+:[^:]*:\/home\/deploy:\/bin\/bash\n$/,
  );
  expect(exec('web', 'getent', 'passwd', 'viewer')).toMatch(/:\/bin\/sh\n$/);
  expect(exec('db', 'getent', 'passwd', 'dbadmin')).toMatch(/:\/bin\/bash\n$/);
  expect(exec('web', 'cat', '/home/deploy/.ssh/authorized_keys')).toBe(`${w.keys[0]}\n`);
  expect(exec('web', 'cat', '/home/viewer/.ssh/authorized_keys')).toBe(`${w.keys[1]}\n`);
  expect(exec('db', 'cat', '/home/dbadmin/.ssh/authorized_keys')).toBe(
    `${w.keys[0]}\n${w.keys[1]}\n`,
  );
  expect(
    exec('web', 'stat', '-c', '%a %U', '/home/deploy/.ssh/authorized_keys', '/home/deploy/.ssh'),
  ).toBe('600 deploy\n700 deploy\n');
  expect(exec('web', 'getent', 'shadow', 'viewer').split(':')[1]).toBe(w.hash);
  expect(exec('web', 'test', '-e', '/etc/slipway-e2e-web')).toBe('');
  // the script wrote through the bind volume into the dataset
  expect(readFileSync(join(w.work, 'mnt/data/web/hello.txt'), 'utf8')).toBe('web ready for root\n');
}

function assertNoSecret(w: Workload, ...texts: string[]): void {
  for (const t of texts) expect(t).not.toContain(w.hash);
}

describe.sequential('slipway apply on real zfs-fuse and podman', () => {
  const made: Workload[] = [];
  const workload = async (tag: string): Promise<Workload> => {
    const w = (await env.makeWorkload(tag)) as Workload;
    made.push(w);
    return w;
  };

  beforeAll(() => {
    if (unavailable) throw new Error(`e2e environment missing: ${unavailable}`);
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (node build/bundle.mjs)`);
  });

  afterAll(() => {
    const errors = made.flatMap((w) => w.cleanup());
    for (const w of made) {
      expect(sh(['zpool', 'list', '-H', '-o', 'name']).stdout.split('\n')).not.toContain(w.pool);
      expect(sh(['podman', 'ps', '-a', '--format', '{{.Names}}']).stdout).not.toContain(w.prefix);
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it('refuses a config naming an in-use loop device (exit 3) and writes nothing', async () => {
    const w = await workload('busy');
    const busy: string = env.makeInUseLoop(w);
    const config = JSON.parse(readFileSync(w.configPath, 'utf8')) as {
      storage: { pools: { topology: { cache: { devices: string[] }[] } }[] };
    };
    config.storage.pools[0]!.topology.cache[0]!.devices = [busy];
    const path = join(w.work, 'busy.json');
    writeFileSync(path, JSON.stringify(config));
    const r = await apply(path);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(busy);
    expect(r.stderr).toMatch(/in use/);
    expect(r.events).toEqual([]);
    expect(existsSync(`${path}.journal`)).toBe(false);
    expect(sh(['zpool', 'list', '-H', '-o', 'name']).stdout.split('\n')).not.toContain(w.pool);
    expect(sh(['podman', 'ps', '-a', '--format', '{{.Names}}']).stdout).not.toContain(w.prefix);
    // the file system on it is untouched and still mounted
    expect(readFileSync('/proc/self/mounts', 'utf8')).toContain(`${busy} `);
    // without a terminal and without --yes it refuses too
    const noYes = spawnSync(
      process.execPath,
      [CLI, 'apply', w.configPath, '--progress', 'ndjson'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(noYes.status).toBe(3);
    expect(noYes.stderr).toMatch(/--yes/);
    expect(existsSync(`${w.configPath}.journal`)).toBe(false);
  }, 120_000);

  let main: Workload;
  let fresh: Run;

  it('applies the config: pool, datasets, snapshot, containers and nested users', async () => {
    main = await workload('e2e');
    const dry = spawnSync(
      process.execPath,
      [CLI, 'apply', main.configPath, '--dry-run', '--progress', 'ndjson'],
      {
        encoding: 'utf8',
      },
    );
    expect(dry.status).toBe(0);
    const dryRows = parseEvents(dry.stdout) as unknown as { would: string }[];
    expect(dryRows.length).toBeGreaterThan(10);
    expect(dryRows.every((r) => r.would === 'run')).toBe(true);
    expect(sh(['zpool', 'list', '-H', '-o', 'name']).stdout.split('\n')).not.toContain(main.pool);

    fresh = await apply(main.configPath);
    if (fresh.code !== 0) throw new Error(`apply failed (${fresh.code}):\n${fresh.stderr}`);
    const s = summary(fresh)!;
    expect(s).toMatchObject({ failed: 0, skipped: 0 });
    expect(s.changed).toBe(dryRows.length);
    // nested steps came back as events with their container context
    const nested = fresh.events.filter(
      (e): e is StepEv => e.event === 'step' && e.context.kind === 'container',
    );
    expect(new Set(nested.map((e) => e.context.name))).toEqual(
      new Set([`${main.prefix}-web`, `${main.prefix}-db`]),
    );
    assertState(main);
    expect(readFileSync(join(main.work, 'mnt/data/web/runs.log'), 'utf8')).toBe('run\n');
    assertNoSecret(
      main,
      fresh.stdout,
      fresh.stderr,
      readFileSync(`${main.configPath}.journal`, 'utf8'),
    );
  }, 300_000);

  it('a second apply changes nothing', async () => {
    const again = await apply(main.configPath);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('"changed":0');
    expect(summary(again)).toMatchObject({
      changed: 0,
      failed: 0,
      skipped: summary(fresh)!.changed,
    });
    assertState(main);
    expect(readFileSync(join(main.work, 'mnt/data/web/runs.log'), 'utf8')).toBe('run\n');
  }, 120_000);

  it('changes made inside a container since are found and put back: a user removed, a key file edited', async () => {
    // (a re-run reads a running container's users and files from the host,
    // through /proc/PID/root: this is what it must see)
    const web = `${main.prefix}-web`;
    ok(['podman', 'exec', web, 'userdel', '-r', 'viewer']);
    ok(['podman', 'exec', web, 'sh', '-c', 'echo tampered > /home/deploy/.ssh/authorized_keys']);
    const r = await apply(main.configPath);
    if (r.code !== 0) throw new Error(`apply failed (${r.code}):\n${r.stderr}`);
    const c = `container:${web}`;
    // the user again, with its password (the journal's record of it does not
    // count for a user created again) and keys; the edited key file rewritten
    expect(stepIds(r, 'ok').sort()).toEqual(
      [
        `${c}:user:viewer`,
        `${c}:user:viewer:password`,
        `${c}:user:viewer:ssh-keys`,
        `${c}:user:deploy:ssh-keys`,
      ].sort(),
    );
    assertState(main);
    const again = await apply(main.configPath);
    expect(summary(again)).toMatchObject({ changed: 0, failed: 0 });
  }, 120_000);

  it('a re-apply with a changed quota, user property and memory limit changes exactly those', async () => {
    const MiB = 1024 * 1024;
    const config = JSON.parse(readFileSync(main.configPath, 'utf8')) as {
      storage: {
        zfs_datasets: { quota: string; children: { properties: Record<string, string> }[] }[];
      };
      containers: {
        containers: {
          resources: { memory_limit: string };
          ports: { host_port: number }[];
        }[];
      };
    };
    const data = config.storage.zfs_datasets[0]!;
    data.quota = '100M';
    data.children[0]!.properties['com.slipway:owner'] = 'ops team';
    config.containers.containers[0]!.resources.memory_limit = '192M';
    const changed = join(main.work, 'changed.json');
    writeFileSync(changed, JSON.stringify(config));
    const journal = ['--journal', `${main.configPath}.journal`];
    const webId = inspectId(`${main.prefix}-web`);

    // the dry run shows the fixes it would run, and runs nothing
    const dry = spawnSync(
      process.execPath,
      [CLI, 'apply', changed, '--dry-run', '--progress', 'ndjson', ...journal],
      { encoding: 'utf8' },
    );
    expect(dry.status).toBe(0);
    const rows = parseEvents(dry.stdout) as unknown as {
      id: string;
      would: string;
      command: string;
      fix?: string;
    }[];
    expect(rows.filter((x) => x.would === 'run').map((x) => [x.id, x.command])).toEqual([
      [`dataset:${main.pool}/data`, `zfs set quota=100M ${main.pool}/data`],
      [
        `dataset:${main.pool}/data/web`,
        `zfs set 'com.slipway:owner=ops team' ${main.pool}/data/web`,
      ],
      [
        `container:${main.prefix}-web:create`,
        `podman update --memory 192M --memory-swap ${384 * MiB} ${main.prefix}-web`,
      ],
    ]);
    expect(zfsGet(`${main.pool}/data`, ['quota'])).toEqual({ quota: String(200 * MiB) });

    const r = await apply(changed, journal);
    if (r.code !== 0) throw new Error(`re-apply failed (${r.code}):\n${r.stderr}`);
    expect(summary(r)).toMatchObject({
      changed: 3,
      failed: 0,
      skipped: summary(fresh)!.changed - 3,
    });
    expect(stepIds(r, 'ok').sort()).toEqual(
      [
        `dataset:${main.pool}/data`,
        `dataset:${main.pool}/data/web`,
        `container:${main.prefix}-web:create`,
      ].sort(),
    );
    const titles = r.events
      .filter((e): e is StepEv & { title: string } => e.event === 'step' && e.status === 'ok')
      .map((e) => e.title);
    expect(titles).toContain(`Set quota=100M on ${main.pool}/data (exists; quota is 200M)`);
    expect(titles).toContain(
      `Set com.slipway:owner=ops team on ${main.pool}/data/web (exists; com.slipway:owner is web team)`,
    );
    expect(titles).toContain(`Update container ${main.prefix}-web: memory limit 128M → 192M`);
    // the state, read with the real tools: only what changed is different
    expect(
      zfsGet(`${main.pool}/data`, ['quota', 'recordsize', 'com.slipway:role', 'mountpoint']),
    ).toEqual({
      quota: String(100 * MiB),
      recordsize: String(64 * 1024),
      'com.slipway:role': 'data',
      mountpoint: join(main.work, 'mnt', 'data'),
    });
    expect(zfsGet(`${main.pool}/data/web`, ['reservation', 'com.slipway:owner'])).toEqual({
      reservation: String(16 * MiB),
      'com.slipway:owner': 'ops team',
    });
    expect(zfsGet(`${main.pool}/data/db`, ['quota', 'com.slipway:backup'])).toEqual({
      quota: String(64 * MiB),
      'com.slipway:backup': 'nightly',
    });
    // updated in place: the same container, still running, with the new limit
    const web = inspect(`${main.prefix}-web`);
    expect(inspectId(`${main.prefix}-web`)).toBe(webId);
    expect(web.State.Running).toBe(true);
    expect(cgroupMemoryLimit(web)).toBe(192 * MiB);
    // podman records `update` from 5.1 on; before, inspect keeps the create-time value
    expect(web.HostConfig.Memory).toBe(podmanRecordsUpdate() ? 192 * MiB : 128 * MiB);
    expect(cpus(web.HostConfig)).toBeCloseTo(0.5);
    expect(inspect(`${main.prefix}-db`).HostConfig.Memory).toBe(256 * MiB);

    // and that is the wanted state now: nothing more to do
    const again = await apply(changed, journal);
    expect(summary(again)).toMatchObject({ changed: 0, failed: 0 });
  }, 120_000);

  it('a changed port is refused with what differs; the container is left as it is', async () => {
    const config = JSON.parse(readFileSync(join(main.work, 'changed.json'), 'utf8')) as {
      containers: { containers: { ports: { host_port: number }[] }[] };
    };
    const port = config.containers.containers[1]!.ports[0]!;
    const was = port.host_port;
    port.host_port = was + 1;
    const path = join(main.work, 'ports.json');
    writeFileSync(path, JSON.stringify(config));
    const dbId = inspectId(`${main.prefix}-db`);
    const r = await apply(path, ['--journal', `${main.configPath}.journal`]);
    expect(r.code).toBe(1);
    expect(stepIds(r, 'failed')).toEqual([`container:${main.prefix}-db:create`]);
    expect(stepIds(r, 'ok')).toEqual([]);
    expect(r.stderr).toContain(
      `container ${main.prefix}-db exists but was created with other settings: ports (has 127.0.0.1:${was}→5432/tcp; the config wants 127.0.0.1:${was + 1}→5432/tcp)`,
    );
    expect(r.stderr).toContain(`podman rm -f ${main.prefix}-db, then run apply again`);
    expect(inspectId(`${main.prefix}-db`)).toBe(dbId);
    expect(inspect(`${main.prefix}-db`).HostConfig.PortBindings['5432/tcp']).toEqual([
      { HostIp: '127.0.0.1', HostPort: String(was) },
    ]);
  }, 120_000);

  it('a volume made read-only in the config is refused with what differs; the container is left as it is', async () => {
    const config = JSON.parse(readFileSync(main.configPath, 'utf8')) as {
      containers: { containers: { volumes: { options?: string[] }[] }[] };
    };
    config.containers.containers[0]!.volumes[0]!.options = ['ro'];
    const path = join(main.work, 'readonly.json');
    writeFileSync(path, JSON.stringify(config));
    const webId = inspectId(`${main.prefix}-web`);
    const r = await apply(path, ['--journal', `${main.configPath}.journal`]);
    expect(r.code).toBe(1);
    expect(stepIds(r, 'failed')).toEqual([`container:${main.prefix}-web:create`]);
    expect(r.stderr).toContain(
      `container ${main.prefix}-web exists but was created with other settings: volumes (/srv/web is read-write, the config wants read-only)`,
    );
    expect(inspectId(`${main.prefix}-web`)).toBe(webId);
    expect(inspect(`${main.prefix}-web`).Mounts.find((m) => m.Destination === '/srv/web')?.RW).toBe(
      true,
    );
  }, 120_000);

  it('a pool of that name with other vdevs is refused, never taken as done; the pool is left as it is', async () => {
    const config = JSON.parse(readFileSync(main.configPath, 'utf8')) as {
      storage: { pools: { topology: { data: { vdev_type: string; devices: string[] }[] } }[] };
    };
    const data = config.storage.pools[0]!.topology.data;
    const disks = data[0]!.devices;
    data[0] = { vdev_type: 'mirror', devices: disks.slice(0, 2) };
    const path = join(main.work, 'vdevs.json');
    writeFileSync(path, JSON.stringify(config));
    const before = ok(['zpool', 'status', main.pool]);
    const dry = spawnSync(
      process.execPath,
      [CLI, 'apply', path, '--dry-run', '--progress', 'ndjson'],
      {
        encoding: 'utf8',
      },
    );
    expect(dry.status).toBe(0);
    const rows = parseEvents(dry.stdout) as unknown as {
      id: string;
      would: string;
      refuse?: string;
    }[];
    expect(rows.find((r) => r.id === `pool:${main.pool}`)).toMatchObject({ would: 'run' });
    expect(dry.stdout).toContain(
      `pool ${main.pool} exists with other vdevs than the config gives it`,
    );

    const r = await apply(path, ['--journal', `${main.configPath}.journal`]);
    expect(r.code).toBe(1);
    expect(stepIds(r, 'failed')).toEqual([`pool:${main.pool}`]);
    expect(stepIds(r, 'ok')).toEqual([]);
    expect(r.stderr).toContain(
      `pool ${main.pool} exists with other vdevs than the config gives it (data vdevs: the config has mirror (${disks[0]}, ${disks[1]}); the pool has raidz1 (${disks.join(', ')}))`,
    );
    expect(r.stderr).toContain('apply never changes the vdevs of a pool that exists');
    expect(ok(['zpool', 'status', main.pool])).toBe(before);
  }, 120_000);

  it('a network added to the config is connected in place (and the default one left); then nothing changes', async () => {
    const config = JSON.parse(readFileSync(main.configPath, 'utf8')) as {
      containers: { containers: { networks?: string[] }[] };
    };
    const net = `${main.prefix}-net`;
    config.containers.containers[0]!.networks = [net];
    const path = join(main.work, 'networks.json');
    writeFileSync(path, JSON.stringify(config));
    const web = `${main.prefix}-web`;
    const webId = inspectId(web);
    const networksOf = () =>
      Object.keys(
        (
          JSON.parse(ok(['podman', 'container', 'inspect', web])) as {
            NetworkSettings: { Networks: Record<string, unknown> };
          }[]
        )[0]!.NetworkSettings.Networks,
      ).sort();
    expect(networksOf()).toEqual(['podman']);
    const r = await apply(path, ['--journal', `${main.configPath}.journal`]);
    if (r.code !== 0) throw new Error(`apply failed (${r.code}):\n${r.stderr}`);
    expect(stepIds(r, 'ok').sort()).toEqual([`container:${web}:create`, `network:podman:${net}`]);
    const fixed = r.events.find(
      (e): e is StepEv =>
        e.event === 'step' && e.status === 'ok' && e.id === `container:${web}:create`,
    );
    expect(fixed?.title).toBe(`Update container ${web}: connect to ${net}, disconnect from podman`);
    expect(inspectId(web)).toBe(webId);
    expect(networksOf()).toEqual([net]);
    const again = await apply(path, ['--journal', `${main.configPath}.journal`]);
    expect(summary(again)).toMatchObject({ changed: 0, failed: 0 });
  }, 120_000);

  it('a pool property changed in the config is set with zpool set; then nothing changes', async () => {
    const config = JSON.parse(readFileSync(join(main.work, 'networks.json'), 'utf8')) as {
      storage: { pools: { properties?: Record<string, string> }[] };
    };
    const failmode = () =>
      ok(['zpool', 'get', 'failmode', main.pool]).split('\n')[1]!.split(/\s+/)[2];
    expect(failmode()).toBe('wait');
    config.storage.pools[0]!.properties = { failmode: 'continue' };
    const path = join(main.work, 'poolprops.json');
    writeFileSync(path, JSON.stringify(config));
    const r = await apply(path, ['--journal', `${main.configPath}.journal`]);
    if (r.code !== 0) throw new Error(`apply failed (${r.code}):\n${r.stderr}`);
    expect(stepIds(r, 'ok')).toEqual([`pool:${main.pool}`]);
    const fixed = r.events.find((e): e is StepEv => e.event === 'step' && e.status === 'ok');
    expect(fixed?.title).toBe(
      `Set failmode=continue on pool ${main.pool} (exists; failmode is wait)`,
    );
    expect(failmode()).toBe('continue');
    const again = await apply(path, ['--journal', `${main.configPath}.journal`]);
    expect(summary(again)).toMatchObject({ changed: 0, failed: 0 });
  }, 120_000);

  for (const boundary of [1, 6, 11]) {
    it(`killed with SIGKILL after ${boundary} finished steps, a re-run converges`, async () => {
      const w = await workload(`kill${boundary}`);
      const killed = await apply(w.configPath, [], boundary);
      expect(killed.signal).toBe('SIGKILL');
      expect(stepIds(killed, 'ok').length).toBeGreaterThanOrEqual(boundary);
      expect(summary(killed)).toBeUndefined();

      await groupGone(killed.pid);
      const resumed = await apply(w.configPath);
      if (resumed.code !== 0)
        throw new Error(`re-run failed (${resumed.code}):\n${resumed.stderr}`);
      expect(summary(resumed)).toMatchObject({ failed: 0 });
      // nothing that had finished was done again
      const redone = stepIds(resumed, 'ok').filter((id) => stepIds(killed, 'ok').includes(id));
      expect(redone).toEqual([]);
      assertState(w);
      // the run-once script ran once, or at most once more if it was cut off mid-run
      const starts = [killed, resumed].flatMap((r) =>
        r.events.filter(
          (e) =>
            e.event === 'step' &&
            e.status === 'running' &&
            e.id.includes(':script:main:mark-web') &&
            !e.id.endsWith(':write') &&
            e.elapsed_ms === 0,
        ),
      ).length;
      const runs = readFileSync(join(w.work, 'mnt/data/web/runs.log'), 'utf8')
        .split('\n')
        .filter(Boolean).length;
      expect(runs).toBeGreaterThanOrEqual(1);
      expect(runs).toBeLessThanOrEqual(starts);

      const third = await apply(w.configPath);
      expect(summary(third)).toMatchObject({ changed: 0, failed: 0 });
      // the workload's pool and containers are removed right away (disk and memory)
      expect(w.cleanup()).toEqual([]);
    }, 400_000);
  }
});
