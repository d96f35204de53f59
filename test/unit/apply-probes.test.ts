import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ProbeOracle,
  containerDifferences,
  containerInState,
  factsScript,
  normalImage,
  parseCgroupLimits,
  parseContainerInspect,
  inspectState,
  parseSha256sum,
  parseZfsGet,
  parseZfsGetSources,
  sameZfsValue,
  zfsDifferences,
  type ContainerInspect,
} from '../../src/apply/probes.js';
import { commandsEnded, processRunner } from '../../src/apply/runner.js';
import { procRootReader } from '../../src/apply/container-root.js';
import { containerInspectArgv } from '../../src/apply/inspect.js';
import type { ContainerSpec, Step } from '../../src/plan/types.js';
import { MemoryJournal } from '../../src/apply/journal.js';
import { zpoolStatus } from '../helpers/zpool.js';
import { FakeRunner as Fake } from '../helpers/fake-runner.js';
import { tempDir } from '../helpers/temp.js';

describe('probe parsers', () => {
  it('compares zfs -p values with wanted values', () => {
    expect(sameZfsValue('10G', '10737418240')).toBe(true);
    expect(sameZfsValue('10G', '10737418241')).toBe(false);
    expect(sameZfsValue('none', '0')).toBe(true);
    expect(sameZfsValue('none', '1024')).toBe(false);
    expect(sameZfsValue('128K', '131072')).toBe(true);
    expect(sameZfsValue('ON', 'on')).toBe(true);
    expect(sameZfsValue('/srv/data/', '/srv/data')).toBe(true);
    expect(sameZfsValue('hello', '-')).toBe(false);
    expect(sameZfsValue('x', undefined)).toBe(false);
    // names zfs get shows for what the config may write
    expect(sameZfsValue('posixacl', 'posix', 'acltype')).toBe(true);
    expect(sameZfsValue('noacl', 'off', 'acltype')).toBe(true);
    expect(sameZfsValue('posixacl', 'nfsv4', 'acltype')).toBe(false);
    expect(sameZfsValue('on', 'aes-256-gcm', 'encryption')).toBe(true);
    expect(sameZfsValue('on', 'off', 'encryption')).toBe(false);
  });

  it('reads zfs get output with tabs in values', () => {
    const m = parseZfsGet('tank\ttype\tfilesystem\ntank/a\tcom.x:note\ta\tb\n');
    expect(m.get('tank')?.get('type')).toBe('filesystem');
    expect(m.get('tank/a')?.get('com.x:note')).toBe('a\tb');
  });

  it('reads podman and docker container inspect output', () => {
    const podman = JSON.stringify([
      { Name: 'web', State: { Status: 'running', Running: true } },
      { Name: 'db', State: { Status: 'exited', Running: false } },
      // inspect also matches an id prefix: a container not asked for by name is not taken
      { Name: 'other', State: { Status: 'running' } },
    ]);
    const p = parseContainerInspect(podman, ['web', 'db', 'missing']);
    expect([...p].map(([n, i]) => [n, inspectState(i)])).toEqual([
      ['web', 'running'],
      ['db', 'exited'],
    ]);
    // docker names start with a slash
    const docker = JSON.stringify([{ Name: '/cache', State: { Status: 'created' } }]);
    expect(inspectState(parseContainerInspect(docker, ['cache']).get('cache')!)).toBe('created');
    expect(parseContainerInspect('', ['web']).size).toBe(0);
    expect(containerInState('running', 'running')).toBe(true);
    expect(containerInState('exited', 'running')).toBe(false);
    expect(containerInState('exited', 'stopped')).toBe(true);
    expect(containerInState(undefined, 'exists')).toBe(false);
  });

  it('reads sha256sum output, including escaped names', () => {
    const h = 'a'.repeat(64);
    const m = parseSha256sum(`${h}  /etc/motd\n\\${h}  /tmp/odd\\nname\n`);
    expect(m.get('/etc/motd')).toBe(h);
    expect(m.get('/tmp/odd\nname')).toBe(h);
  });
});

const ctr = { kind: 'container', name: 'web', runtime: 'podman' } as const;
const mk = (id: string, probe: Step['probe']): Step => ({
  id,
  title: id,
  context: ctr,
  argv: ['true'],
  dependsOn: [],
  destroys: false,
  probe,
});

describe('bulk probes in a container', () => {
  it('lists users and hashes all files of a context with one command there', async () => {
    const content = 'ssh-ed25519 AAAA test\n';
    const sha = createHash('sha256').update(content).digest('hex');
    const steps = [
      mk('u1', { kind: 'user-exists', user: 'alice' }),
      mk('u2', { kind: 'user-exists', user: 'bob' }),
      mk('f1', { kind: 'file-content', path: '/home/alice/.ssh/authorized_keys', sha256: sha }),
      mk('f2', { kind: 'file-content', path: '/home/bob/.ssh/authorized_keys', sha256: sha }),
    ];
    const runner = new Fake(() => ({
      stdout:
        'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n@@slipway-files@@\n' +
        `${sha}  /home/alice/.ssh/authorized_keys\n`,
    }));
    const o = new ProbeOracle(runner, { steps });
    o.containerFiles = undefined; // the listing inside, not a read from the host
    const done = await Promise.all(steps.map((s) => o.isDone(s)));
    expect(done).toEqual([true, false, true, false]);
    expect(runner.calls).toHaveLength(1);
    const argv = runner.argvs[0]!;
    expect(argv.slice(0, 7)).toEqual(['podman', 'exec', '-u', '0', 'web', 'sh', '-c']);
    // the paths are positional arguments, never part of the script text
    expect(argv.slice(8)).toEqual([
      'sh',
      '/home/alice/.ssh/authorized_keys',
      '/home/bob/.ssh/authorized_keys',
    ]);
    expect(argv[5]).not.toContain('/home/');
    // after a step ran in this context, the answers are asked again
    o.invalidate(steps[1]!);
    await o.isDone(steps[1]!);
    expect(runner.calls).toHaveLength(2);
  });

  it('reads users from /etc/passwd and hashes by reading files where tools are missing (busybox)', async () => {
    const content = 'key\n';
    const sha = createHash('sha256').update(content).digest('hex');
    const runner = new Fake((argv) =>
      argv.includes('cat')
        ? { stdout: content }
        : {
            stdout:
              'root:x:0:0:root:/root:/bin/ash\ncarol:x:1000:1000::/home/carol:/bin/ash\n@@slipway-files@@\n@@slipway-no-sha256sum@@\n',
          },
    );
    const f = mk('f', { kind: 'file-content', path: '/k', sha256: sha });
    const o = new ProbeOracle(runner, { steps: [f] });
    expect(await o.isDone(mk('u', { kind: 'user-exists', user: 'carol' }))).toBe(true);
    expect(await o.isDone(f)).toBe(true);
    expect(runner.calls.at(-1)).toBe('podman exec -u 0 web cat -- /k');
  });

  it('runs the listing script for real: getent, marker, sha256sum', async () => {
    const dir = tempDir('slipway-facts-');
    const file = join(dir, "it's here");
    writeFileSync(file, 'hello\n');
    const sha = createHash('sha256').update('hello\n').digest('hex');
    const host = { kind: 'host' } as const;
    const steps: Step[] = [
      { ...mk('f', { kind: 'file-content', path: file, sha256: sha }), context: host },
      {
        ...mk('g', { kind: 'file-content', path: join(dir, 'missing'), sha256: sha }),
        context: host,
      },
      { ...mk('u', { kind: 'user-exists', user: 'root' }), context: host },
      { ...mk('n', { kind: 'user-exists', user: 'no-such-user-slipway' }), context: host },
    ];
    const o = new ProbeOracle(processRunner(), { steps });
    expect(await Promise.all(steps.map((s) => o.isDone(s)))).toEqual([true, false, true, false]);
  });

  it('retries zfs get without a property this zfs does not know', async () => {
    const runner = new Fake((argv) =>
      argv[0] === 'zpool'
        ? { stdout: zpoolStatus('tank') }
        : argv.join(' ').includes('special_small_blocks')
          ? { exitCode: 2, stderr: "bad property list: invalid property 'special_small_blocks'\n" }
          : { stdout: 'tank/a\ttype\tfilesystem\ntank/a\tquota\t1024\n' },
    );
    const host = { kind: 'host' } as const;
    const steps: Step[] = [
      {
        ...mk('a', { kind: 'dataset-properties', dataset: 'tank/a', properties: { quota: '1K' } }),
        context: host,
      },
      {
        ...mk('b', {
          kind: 'dataset-properties',
          dataset: 'tank/a',
          properties: { special_small_blocks: '0' },
        }),
        context: host,
      },
    ];
    const o = new ProbeOracle(runner, { steps });
    expect(await o.isDone(steps[0]!)).toBe(true);
    expect(await o.isDone(steps[1]!)).toBe(false);
    expect(runner.calls.filter((c) => c.startsWith('zfs get'))).toHaveLength(2);
  });
});

describe('processRunner (real processes)', () => {
  it('feeds stdin, pipes into a second command, and reports exit codes', async () => {
    const r = processRunner();
    const a = await r.run({ argv: ['cat'], stdin: 'hello\n' });
    expect(a).toMatchObject({ exitCode: 0, stdout: 'hello\n' });
    const b = await r.run({ argv: ['printf', 'abc'], pipeTo: ['tr', 'a-z', 'A-Z'] });
    expect(b).toMatchObject({ exitCode: 0, stdout: 'ABC' });
    const c = await r.run({ argv: ['sh', '-c', 'echo oops >&2; exit 3'] });
    expect(c.exitCode).toBe(3);
    expect(c.stderr).toBe('oops\n');
    const d = await r.run({ argv: ['slipway-no-such-program'] });
    expect(d).toMatchObject({ exitCode: 127, notFound: true });
  });

  it('stops a command at its timeout, and survives a command that does not read its stdin', async () => {
    const started = Date.now();
    const t = await processRunner().run({ argv: ['sleep', '30'], timeoutMs: 100 });
    expect(t).toMatchObject({ exitCode: null, timedOut: true, interrupted: false });
    expect(Date.now() - started).toBeLessThan(5000);
    const big = 'x'.repeat(4 * 1024 * 1024);
    const e = await processRunner().run({ argv: ['true'], stdin: big });
    expect(e.exitCode).toBe(0);
    // output split across chunks is decoded whole (multi-byte characters)
    const u = await processRunner().run({ argv: ['sh', '-c', 'printf "é%.0s" $(seq 1 20000)'] });
    expect(u.stdout).toBe('é'.repeat(20000));
    // a pipeline whose first side fails reports that side
    const p = await processRunner().run({ argv: ['sh', '-c', 'echo a; exit 4'], pipeTo: ['cat'] });
    expect(p).toMatchObject({ exitCode: 4, stdout: 'a\n' });
    // an aborted signal starts nothing
    const ac = new AbortController();
    ac.abort();
    expect(await processRunner().run({ argv: ['true'], signal: ac.signal })).toMatchObject({
      exitCode: null,
      interrupted: true,
    });
  });

  it('stops a command when the signal aborts', async () => {
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 100);
    const r = await processRunner().run({ argv: ['sleep', '30'], signal: ac.signal });
    expect(r.interrupted).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('commandsEnded', () => {
  it('resolves once every command started by any processRunner has ended', async () => {
    await commandsEnded(); // none running: at once
    const dir = tempDir('slipway-ended-');
    // each command leaves a file as the last thing it does
    const mark = (name: string, pause: string) =>
      processRunner().run({ argv: ['sh', '-c', `sleep ${pause}; : > "$0"`, join(dir, name)] });
    const runs = [mark('slow', '0.3'), mark('quick', '0'), mark('other', '0.1')];
    const failed = processRunner().run({ argv: ['slipway-no-such-program'] });
    await commandsEnded();
    expect(existsSync(join(dir, 'slow'))).toBe(true);
    expect(existsSync(join(dir, 'quick'))).toBe(true);
    expect(existsSync(join(dir, 'other'))).toBe(true);
    await Promise.all([...runs, failed]);
  });
});

describe('comparing zfs properties', () => {
  const v = (value: string, source = 'local') => ({ value, source });
  it('normalises sizes and counts only values set on the dataset itself', () => {
    const actual = new Map([
      ['quota', v('10737418240')],
      ['recordsize', v('131072', 'inherited from tank')],
      ['atime', v('off', 'default')],
      ['com.x:note', v('Web Team')],
      ['mountpoint', v('/srv/a')],
    ]);
    expect(zfsDifferences({ quota: '10G', mountpoint: '/srv/a/' }, actual)).toEqual([]);
    expect(zfsDifferences({ quota: '10240M' }, actual)).toEqual([]);
    expect(zfsDifferences({ quota: '9G' }, actual)).toEqual([
      { property: 'quota', wanted: '9G', actual: '10737418240', source: 'local' },
    ]);
    // the same value, but inherited or by default: set on the dataset, as zfs create -o does
    expect(
      zfsDifferences({ recordsize: '128K', atime: 'off' }, actual).map((d) => d.property),
    ).toEqual(['recordsize', 'atime']);
    // a user property is text: no case folding, no sizes
    expect(zfsDifferences({ 'com.x:note': 'web team' }, actual)).toHaveLength(1);
    expect(zfsDifferences({ 'com.x:note': 'Web Team' }, actual)).toEqual([]);
    expect(sameZfsValue('1K', '1024', 'com.x:size')).toBe(false);
    // a property the listing does not show
    expect(zfsDifferences({ copies: '2' }, actual)).toEqual([
      { property: 'copies', wanted: '2', actual: undefined, source: undefined },
    ]);
  });

  it('reads the source column, values with tabs included', () => {
    const m = parseZfsGetSources('tank/a\tcom.x:n\ta\tb\tlocal\ntank/a\tquota\t0\tdefault\n');
    expect(m.get('tank/a')?.get('com.x:n')).toEqual({ value: 'a\tb', source: 'local' });
    expect(m.get('tank/a')?.get('quota')).toEqual({ value: '0', source: 'default' });
  });
});

describe('a dataset or pool that exists but differs', () => {
  const host = { kind: 'host' } as const;
  const zfsGet = [
    'tank\ttype\tfilesystem\t-',
    'tank\tatime\ton\tdefault',
    'tank\tmountpoint\t/tank\tdefault',
    'tank/data\ttype\tfilesystem\t-',
    'tank/data\tquota\t209715200\tlocal',
    'tank/data\trecordsize\t65536\tlocal',
    'tank/data\tcom.x:role\tdata\tlocal',
    'tank/data\tatime\ton\tinherited from tank',
    'tank/data\tmountpoint\t/tank/data\tinherited from tank',
    'tank/data\tcasesensitivity\tsensitive\t-',
  ].join('\n');
  const runner = () =>
    new Fake((argv) =>
      argv[0] === 'zpool' ? { stdout: zpoolStatus('tank') } : { stdout: `${zfsGet}\n` },
    );
  const ds = (properties: Record<string, string>): Step => ({
    ...mk('dataset:tank/data', { kind: 'dataset-exists', dataset: 'tank/data', properties }),
    context: host,
    argv: ['zfs', 'create', 'tank/data'],
  });

  it('sets exactly the properties that differ, one zfs set each', async () => {
    const step = ds({ quota: '100M', recordsize: '64K', 'com.x:role': 'db', atime: 'on' });
    const r = runner();
    const o = new ProbeOracle(r, { steps: [step] });
    const v = await o.check(step);
    expect(v).toEqual({
      done: false,
      fix: {
        argvs: [
          ['zfs', 'set', 'quota=100M', 'tank/data'],
          ['zfs', 'set', 'com.x:role=db', 'tank/data'],
          ['zfs', 'set', 'atime=on', 'tank/data'],
        ],
        title:
          'Set quota=100M, com.x:role=db, atime=on on tank/data (exists; quota is 200M, com.x:role is data, atime=on is inherited from tank, not set on it)',
      },
    });
    // one bulk listing with values and sources, for every property the plan asks about
    expect(r.calls).toEqual([
      'zpool status -P',
      'zfs get -H -p -r -o name,property,value,source type,quota,recordsize,com.x:role,atime tank',
    ]);
    expect(await o.isDone(step)).toBe(false);
    expect(await o.isDone(ds({ quota: '200M', recordsize: '64K', 'com.x:role': 'data' }))).toBe(
      true,
    );
  });

  it('compares a pool root with its -O properties', async () => {
    const pool = (properties: Record<string, string>): Step => ({
      ...mk('pool:tank', { kind: 'pool-exists', pool: 'tank', properties }),
      context: host,
    });
    const o = new ProbeOracle(runner(), { steps: [pool({ atime: 'off' })] });
    expect(await o.check(pool({ atime: 'off' }))).toMatchObject({
      done: false,
      fix: { argvs: [['zfs', 'set', 'atime=off', 'tank']] },
    });
    // the pool's own command (zpool create) never runs for a pool that exists
    expect(await o.check(pool({}))).toEqual({ done: true });
  });

  it('never runs zpool create for a pool that exists, even when its root cannot be read', async () => {
    const r = new Fake((argv) =>
      argv[0] === 'zpool'
        ? { stdout: zpoolStatus('tank') }
        : { exitCode: 1, stderr: 'internal error: Input/output error\n' },
    );
    const pool: Step = {
      ...mk('pool:tank', { kind: 'pool-exists', pool: 'tank', properties: { atime: 'off' } }),
      context: host,
    };
    const v = await new ProbeOracle(r, { steps: [pool] }).check(pool);
    expect(v.done).toBe(false);
    expect(v.refuse).toBe(
      'pool tank exists, but the properties of its root could not be read (zfs get failed: internal error: Input/output error); run apply again when zfs answers',
    );
  });

  it('a zfs set step sets only what differs', async () => {
    const step: Step = {
      ...mk('zfs-set:tank/data', {
        kind: 'dataset-properties',
        dataset: 'tank/data',
        properties: { recordsize: '64K', quota: '1G' },
      }),
      context: host,
      argv: ['zfs', 'set', 'recordsize=64K', 'quota=1G', 'tank/data'],
    };
    expect(await new ProbeOracle(runner(), { steps: [step] }).check(step)).toMatchObject({
      done: false,
      fix: { argvs: [['zfs', 'set', 'quota=1G', 'tank/data']] },
    });
  });

  it('refuses a property that only zfs create sets', async () => {
    const step = ds({ casesensitivity: 'insensitive' });
    const v = await new ProbeOracle(runner(), { steps: [step] }).check(step);
    expect(v.done).toBe(false);
    expect(v.refuse).toMatch(
      /tank\/data exists with casesensitivity=sensitive.*only when a dataset is created/,
    );
  });
});

describe('a container that exists but differs', () => {
  const MiB = 1024 * 1024;
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const spec: ContainerSpec = {
    image: 'localhost/app:1',
    env: { SITE: sha('e2e'), TOKEN: sha('s3cret-value') },
    ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
    volumes: [{ type: 'bind', source: '/srv/web/', target: '/srv/web' }],
    memory: '128M',
    cpus: 0.5,
  };
  const inspect = (over: Partial<ContainerInspect> = {}): ContainerInspect => ({
    Name: 'web',
    NetworkSettings: { Networks: { podman: {} } },
    ImageName: 'localhost/app:1',
    State: { Status: 'running', Running: true, CgroupPath: '/libpod_parent/libpod-abc' },
    Config: { Env: ['PATH=/bin', 'SITE=e2e', 'TOKEN=s3cret-value'], Cmd: ['sleep', 'infinity'] },
    HostConfig: {
      Memory: 128 * MiB,
      MemorySwap: 256 * MiB,
      NanoCpus: 5e8,
      PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] },
    },
    Mounts: [
      { Type: 'bind', Source: '/srv/web', Destination: '/srv/web', RW: true },
      { Type: 'volume', Name: 'f00d', Destination: '/var/cache' },
    ],
    ...over,
  });

  it('finds nothing to do when inspect shows what create asked for', () => {
    expect(containerDifferences(spec, inspect())).toEqual({
      recreate: [],
      update: { flags: [], what: [] },
      networks: { connect: [], disconnect: [] },
    });
    // docker shows the name with a slash and the image as given
    expect(normalImage('docker.io/library/nginx')).toBe(normalImage('nginx:latest'));
  });

  it('updates changed limits in place, keeping the default swap of twice the memory', () => {
    const d = containerDifferences({ ...spec, memory: '192M', cpus: 1 }, inspect());
    expect(d.recreate).toEqual([]);
    expect(d.update.flags).toEqual([
      '--memory',
      '192M',
      '--memory-swap',
      String(384 * MiB),
      '--cpus',
      '1',
    ]);
    expect(d.update.what).toEqual(['memory limit 128M → 192M', 'CPU limit 0.5 → 1']);
    // the kernel already has them (podman before 5.1 does not record update): done
    const live = parseCgroupLimits(
      `mem ${192 * MiB}\nmemsw ${384 * MiB}\nquota 100000\nperiod 100000\n`,
    );
    expect(live).toEqual({ memory: 192 * MiB, memorySwap: 384 * MiB, cpus: 1 });
    expect(
      containerDifferences({ ...spec, memory: '192M', cpus: 1 }, inspect(), live).update.flags,
    ).toEqual([]);
    // cgroup v2
    expect(
      parseCgroupLimits(`max ${64 * MiB}\nswapmax ${64 * MiB}\ncpumax 50000 100000\n`),
    ).toEqual({
      memory: 64 * MiB,
      memorySwap: 128 * MiB,
      cpus: 0.5,
    });
  });

  it('names what only re-creating changes, never a secret value', () => {
    const d = containerDifferences(
      {
        ...spec,
        image: 'localhost/app:2',
        env: { ...spec.env, TOKEN: sha('other-secret') },
        ports: [{ hostIp: '127.0.0.1', hostPort: 9090, containerPort: 80, protocol: 'tcp' }],
        volumes: [{ type: 'bind', source: '/srv/other', target: '/srv/web' }],
      },
      inspect(),
    );
    expect(d.recreate).toEqual([
      'image (has localhost/app:1; the config wants localhost/app:2)',
      'environment TOKEN (other values or missing)',
      'ports (has 127.0.0.1:8080→80/tcp; the config wants 127.0.0.1:9090→80/tcp)',
      'volumes (/srv/web is bind /srv/web, the config wants bind /srv/other)',
    ]);
    expect(d.recreate.join(' ')).not.toContain('s3cret');
    // read-only or not is a mount option: only re-creating changes it
    expect(
      containerDifferences(
        {
          ...spec,
          volumes: [{ type: 'bind', source: '/srv/web', target: '/srv/web', readOnly: true }],
        },
        inspect(),
      ).recreate,
    ).toEqual(['volumes (/srv/web is read-write, the config wants read-only)']);
    expect(
      containerDifferences(
        spec,
        inspect({
          Mounts: [{ Type: 'bind', Source: '/srv/web', Destination: '/srv/web', RW: false }],
        }),
      ).recreate,
    ).toEqual(['volumes (/srv/web is read-only, the config wants read-write)']);
    // a bind mount the config no longer has is a difference; the image's anonymous volume is not
    expect(containerDifferences({ ...spec, volumes: [] }, inspect()).recreate).toEqual([
      'volumes (/srv/web is mounted from /srv/web, not in the config)',
    ]);
  });

  it('connects and disconnects networks in place when the config names them', () => {
    const on = (...names: string[]) =>
      inspect({ NetworkSettings: { Networks: Object.fromEntries(names.map((n) => [n, {}])) } });
    expect(
      containerDifferences({ ...spec, networks: ['front', 'back'] }, on('front', 'old')),
    ).toEqual({
      recreate: [],
      update: { flags: [], what: [] },
      networks: { connect: ['back'], disconnect: ['old'] },
    });
    expect(containerDifferences({ ...spec, networks: ['front'] }, on('front')).networks).toEqual({
      connect: [],
      disconnect: [],
    });
    // without networks in the config the runtime's default network is not a difference
    expect(containerDifferences(spec, on('podman')).networks).toEqual({
      connect: [],
      disconnect: [],
    });
  });

  const create = (s: ContainerSpec): Step => ({
    ...mk('container:web:create', {
      kind: 'container-state',
      runtime: 'podman',
      name: 'web',
      state: 'exists',
      spec: s,
    }),
    context: { kind: 'host' },
  });

  it('asks one inspect per runtime, reads the kernel limits only when the record differs', async () => {
    const runner = new Fake((argv) =>
      argv[1] === 'container'
        ? {
            exitCode: 125,
            // inspect matches id prefixes too: only the asked-for name counts
            stdout: JSON.stringify([inspect(), { ...inspect(), Name: 'db0c1e' }]),
            stderr: 'Error: no such container db\n',
          }
        : argv[0] === 'sh'
          ? { stdout: `mem ${192 * MiB}\nmemsw ${384 * MiB}\nquota 50000\nperiod 100000\n` }
          : {},
    );
    const dbProbe: Step = {
      ...create(spec),
      id: 'container:db:create',
      probe: { kind: 'container-state', runtime: 'podman', name: 'db', state: 'exists' },
    };
    const steps = [create({ ...spec, memory: '256M' }), dbProbe];
    const o = new ProbeOracle(runner, { steps });
    expect(await o.check(steps[0]!)).toEqual({
      done: false,
      fix: {
        argvs: [
          ['podman', 'update', '--memory', '256M', '--memory-swap', String(512 * MiB), 'web'],
        ],
        title: 'Update container web: memory limit 128M → 256M',
      },
    });
    expect(await o.isDone(dbProbe)).toBe(false);
    expect(runner.calls[0]).toBe('podman container inspect db web');
    expect(runner.argvs[1]).toEqual([
      'sh',
      '-c',
      expect.any(String),
      'sh',
      '/libpod_parent/libpod-abc',
    ]);
    expect(await o.check(create({ ...spec, memory: '192M' }))).toEqual({ done: true });
    expect(runner.calls.filter((c) => c.includes('inspect'))).toHaveLength(1);
    const refused = await o.check(create({ ...spec, image: 'localhost/app:2' }));
    expect(refused.refuse).toMatch(
      /^container web exists but was created with other settings: image/,
    );
    expect(refused.refuse).toContain('podman rm -f web, then run apply again');
    // networks: connected to the new ones first, then disconnected from the old one
    expect(await o.check(create({ ...spec, memory: '192M', networks: ['front', 'back'] }))).toEqual(
      {
        done: false,
        fix: {
          argvs: [
            ['podman', 'network', 'connect', 'front', 'web'],
            ['podman', 'network', 'connect', 'back', 'web'],
            ['podman', 'network', 'disconnect', 'podman', 'web'],
          ],
          title: 'Update container web: connect to front, back, disconnect from podman',
        },
      },
    );
  });
});

describe('one listing per context', () => {
  it('answers users, files and check commands inside a container with one command', async () => {
    const steps = [
      mk('u', { kind: 'user-exists', user: 'alice' }),
      mk('f', { kind: 'file-content', path: '/etc/motd', sha256: 'a'.repeat(64) }),
      mk('p1', { kind: 'command', argv: ['dpkg-query', '-W', 'curl'], description: 'curl' }),
      mk('p2', { kind: 'command', argv: ['test', '-e', "/it's; rm -rf /"], description: 'x' }),
    ];
    const runner = new Fake(() => ({
      stdout: `alice:x:1000:1000::/home/alice:/bin/sh\n@@slipway-files@@\n${'a'.repeat(64)}  /etc/motd\n@@slipway-commands@@\n0\n1\n`,
    }));
    const o = new ProbeOracle(runner, { steps });
    o.prefetch();
    expect(await Promise.all(steps.map((s) => o.isDone(s)))).toEqual([true, true, true, false]);
    // besides the runtime's one inspect, one command in the container
    expect(runner.calls.filter((c) => c !== 'podman container inspect web')).toHaveLength(1);
    const argv = runner.argvs.find((a) => a[1] === 'exec')!;
    // every name and word is a positional argument; the script holds only positions
    expect(argv.slice(8)).toEqual([
      'sh',
      '/etc/motd',
      'dpkg-query',
      '-W',
      'curl',
      'test',
      '-e',
      "/it's; rm -rf /",
    ]);
    expect(argv[7]).toBe(factsScript(1, [3, 3]));
    expect(argv[7]).not.toMatch(/curl|motd|rm -rf/);
    // after any step ran, a check command is asked on its own again
    o.invalidate({
      ...mk('other', { kind: 'always', description: '' }),
      context: { kind: 'host' },
    });
    await o.isDone(steps[2]!);
    expect(runner.calls.at(-1)).toBe('podman exec -u 0 web dpkg-query -W curl');
  });

  it('prefetches the listing inside a container only on a re-run (the journal knows its steps)', async () => {
    const steps = [mk('u', { kind: 'user-exists', user: 'alice' })];
    const execs = (r: Fake) => r.calls.filter((c) => c.startsWith('podman exec')).length;
    const first = new Fake(() => ({ exitCode: 125, stderr: 'no such container' }));
    new ProbeOracle(first, { steps }, new MemoryJournal()).prefetch();
    await new Promise((r) => setTimeout(r, 10));
    expect(execs(first)).toBe(0);
    expect(first.calls).toEqual(['podman container inspect web']);
    const journal = new MemoryJournal();
    journal.append(steps[0]!, 'ok', 1);
    const again = new Fake(() => ({ stdout: 'alice:x:1:1::/:/bin/sh\n@@slipway-files@@\n' }));
    // (where containers are not read from the host: that needs inspect's pid first)
    const o = new ProbeOracle(again, { steps }, journal);
    o.containerFiles = undefined;
    o.prefetch();
    await new Promise((r) => setTimeout(r, 10));
    expect(execs(again)).toBe(1);
    // the listing is started before the runtime's inspect
    expect(again.calls[0]).toMatch(/^podman exec/);
  });

  it('runs the generated script for real with odd words', async () => {
    const dir = tempDir('slipway-facts-cmd-');
    const odd = join(dir, 'a "b" $(c) `d`');
    writeFileSync(odd, 'x');
    const script = factsScript(0, [3, 2, 1]);
    const r = await processRunner().run({
      argv: ['sh', '-c', script, 'sh', 'test', '-e', odd, 'false', odd, 'true'],
    });
    const codes = r.stdout.split('@@slipway-commands@@\n')[1]!.trim().split('\n');
    expect(codes[0]).toBe('0');
    expect(codes[1]).not.toBe('0');
    expect(codes[2]).toBe('0');
  });
});

describe('the listing of a running container, read from the host', () => {
  const ID = 'ab'.repeat(32);
  const key = 'ssh-ed25519 AAAA alice\n';
  /** A proc tree with the container's main process 77 and its root's files. */
  function procTree(cgroup = `0::/libpod_parent/libpod-${ID}\n`): string {
    const proc = tempDir('slipway-proc-');
    mkdirSync(join(proc, '77/root/etc'), { recursive: true });
    mkdirSync(join(proc, '77/root/home/alice/.ssh'), { recursive: true });
    writeFileSync(join(proc, '77/cgroup'), cgroup);
    writeFileSync(join(proc, '77/root/etc/passwd'), 'alice:x:1000:1000::/home/alice:/bin/sh\n');
    writeFileSync(join(proc, '77/root/home/alice/.ssh/authorized_keys'), key);
    rootfs = join(proc, '77/root');
    return proc;
  }
  let rootfs = '';
  const inspectAnswer = (argv: readonly string[]) =>
    argv[1] === 'container'
      ? {
          stdout: JSON.stringify([
            {
              Name: 'web',
              Id: ID,
              State: { Running: true, Pid: 77 },
              GraphDriver: { Data: { MergedDir: rootfs } },
            },
          ]),
        }
      : { stdout: 'alice:x:1000:1000::/home/alice:/bin/sh\n@@slipway-files@@\n' };
  const steps = [
    mk('u', { kind: 'user-exists', user: 'alice' }),
    mk('v', { kind: 'user-exists', user: 'bob' }),
    mk('k', {
      kind: 'file-content',
      path: '/home/alice/.ssh/authorized_keys',
      sha256: createHash('sha256').update(key).digest('hex'),
    }),
  ];

  it('answers users and files with the one inspect, starting nothing in the container', async () => {
    const proc = procTree();
    const runner = new Fake(inspectAnswer);
    const o = new ProbeOracle(runner, { steps });
    o.containerFiles = procRootReader(proc);
    o.prefetch();
    expect(await Promise.all(steps.map((s) => o.isDone(s)))).toEqual([true, false, true]);
    expect(runner.calls).toEqual(['podman container inspect web']);
    // a step ran there: read again (the file changed meanwhile)
    writeFileSync(join(proc, '77/root/home/alice/.ssh/authorized_keys'), 'other\n');
    o.invalidate(steps[1]!);
    expect(await o.isDone(steps[2]!)).toBe(false);
    expect(runner.calls).toEqual(['podman container inspect web']);
  });

  it('runs the listing inside when the process is not the container’s, or check commands are asked', async () => {
    const other = new Fake(inspectAnswer);
    const o = new ProbeOracle(other, { steps });
    o.containerFiles = procRootReader(procTree('0::/user.slice\n'));
    expect(await o.isDone(steps[0]!)).toBe(true);
    expect(other.calls.filter((c) => c.startsWith('podman exec'))).toHaveLength(1);

    const withCheck = [
      ...steps,
      mk('c', { kind: 'command', argv: ['dpkg-query', '-W', 'curl'], description: 'curl' }),
    ];
    const runner = new Fake(inspectAnswer);
    const p = new ProbeOracle(runner, { steps: withCheck });
    p.containerFiles = procRootReader(procTree());
    expect(await p.isDone(steps[0]!)).toBe(true);
    expect(runner.calls.filter((c) => c.startsWith('podman exec'))).toHaveLength(1);
  });
});

describe('answers of this run reused by the probes', () => {
  const pool: Step = {
    ...mk('pool', { kind: 'pool-exists', pool: 'tank' }),
    context: { kind: 'host' },
  };

  it('takes the disk detection’s zpool status (and its failed -P) instead of asking again', async () => {
    const runner = new Fake((argv) =>
      argv.join(' ') === 'zpool status' ? { stdout: zpoolStatus('tank') } : {},
    );
    const o = new ProbeOracle(runner, { steps: [pool] });
    o.reuseEarlier(['zpool', 'status', '-P'], {
      exitCode: 2,
      stdout: '',
      stderr: "invalid option 'P'\n",
    });
    o.reuseEarlier(['zpool', 'status'], {
      exitCode: 0,
      stdout: zpoolStatus('tank'),
      stderr: '',
    });
    expect(await o.isDone(pool)).toBe(true);
    expect(runner.calls.filter((c) => c.startsWith('zpool status'))).toEqual([]);
  });

  it('asks zpool status as the detection did (zfs-fuse recognised: no -P tried)', async () => {
    const runner = new Fake(() => ({ exitCode: 2, stderr: "invalid option 'P'" }));
    const o = new ProbeOracle(runner, { steps: [pool] });
    o.reuseEarlier(['zpool', 'status'], { exitCode: 0, stdout: zpoolStatus('tank'), stderr: '' });
    expect(await o.isDone(pool)).toBe(true);
    expect(runner.calls).toEqual([]);
  });

  it('forgets them once a step has run', async () => {
    const runner = new Fake(() => ({ stdout: '' }));
    const o = new ProbeOracle(runner, { steps: [pool] });
    o.reuseEarlier(['zpool', 'status', '-P'], {
      exitCode: 0,
      stdout: zpoolStatus('tank'),
      stderr: '',
    });
    o.invalidate({ ...mk('x', { kind: 'always', description: '' }), context: { kind: 'host' } });
    // the pool is asked about for real: zpool status now lists none
    expect(await o.isDone(pool)).toBe(false);
    expect(runner.calls).toContain('zpool status -P');
    // and an answer handed over after a step is not taken
    o.reuseEarlier(['zfs', 'list'], { exitCode: 0, stdout: 'x', stderr: '' });
    expect((o as unknown as { earlier: Map<string, unknown> }).earlier.size).toBe(0);
  });
});

describe('prefetching the datasets of pools', () => {
  const host = { kind: 'host' } as const;
  const steps: Step[] = [
    { ...mk('pool', { kind: 'pool-exists', pool: 'tank' }), context: host },
    {
      ...mk('ds', { kind: 'dataset-exists', dataset: 'tank/a', properties: { quota: '1G' } }),
      context: host,
    },
  ];
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('asks no zfs get of a pool that the listing does not show (a first run)', async () => {
    const runner = new Fake(() => ({ stdout: 'no pools available\n' }));
    const o = new ProbeOracle(runner, { steps });
    o.reuseEarlier(['zpool', 'status'], { exitCode: 0, stdout: '', stderr: '' });
    o.prefetch();
    await settle();
    expect(runner.calls).toEqual([]);
    // the probes answer as before: the pool and its dataset are to be made
    expect(await o.isDone(steps[0]!)).toBe(false);
    expect(await o.isDone(steps[1]!)).toBe(false);
  });

  it('asks the zfs get of a pool that is there, once, and the probes take it', async () => {
    const runner = new Fake((argv) =>
      argv[0] === 'zpool'
        ? { stdout: zpoolStatus('tank') }
        : {
            stdout:
              'tank\ttype\tfilesystem\t-\ntank/a\ttype\tfilesystem\t-\ntank/a\tquota\t1073741824\tlocal\n',
          },
    );
    const o = new ProbeOracle(runner, { steps });
    o.prefetch();
    await settle();
    expect(runner.calls).toEqual([
      'zpool status -P',
      'zfs get -H -p -r -o name,property,value,source type,quota tank',
    ]);
    expect(await o.isDone(steps[1]!)).toBe(true);
    expect(runner.calls).toHaveLength(2);
  });
});

describe('the containers’ inspect started before the plan', () => {
  const steps = [
    mk('c', { kind: 'container-state', runtime: 'podman', name: 'web', state: 'running' }),
  ];
  const running = JSON.stringify([{ Name: 'web', State: { Running: true, Status: 'running' } }]);

  it('is the one inspect the probes ask (names sorted, once each), its answer taken when it comes', async () => {
    expect(containerInspectArgv('podman', ['web', 'db', 'web'])).toEqual([
      'podman',
      'container',
      'inspect',
      'db',
      'web',
    ]);
    const runner = new Fake(() => ({ exitCode: 125, stderr: 'no such container web' }));
    const o = new ProbeOracle(runner, { steps });
    let answer!: (r: { exitCode: number; stdout: string; stderr: string }) => void;
    o.reuseEarlier(
      containerInspectArgv('podman', ['web']),
      new Promise((resolve) => (answer = resolve)),
    );
    const done = o.isDone(steps[0]!);
    answer({ exitCode: 0, stdout: running, stderr: '' });
    expect(await done).toBe(true);
    expect(runner.calls).toEqual([]);
  });

  it('is asked again when that one could not run', async () => {
    const runner = new Fake(() => ({ stdout: running }));
    const o = new ProbeOracle(runner, { steps });
    o.reuseEarlier(['podman', 'container', 'inspect', 'web'], Promise.reject(new Error('spawn')));
    expect(await o.isDone(steps[0]!)).toBe(true);
    expect(runner.calls).toEqual(['podman container inspect web']);
  });
});
