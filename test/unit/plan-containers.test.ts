import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfigValue } from '../../src/schema/index.js';
import { compilePlan, PLATFORMS, type Step } from '../../src/plan/index.js';
import { displayCommand, hostArgv } from '../../src/plan/shell.js';
import { renderPlan, stepToJson } from '../../src/plan/describe.js';
import { WRITE_FILE_SCRIPT, sha256 } from '../../src/platform/files.js';
import { CONTAINER_USERADD_SCRIPT } from '../../src/platform/linux.js';
import { upstreamExampleNames } from '../helpers/upstream.js';
import { cfg, idx, plain, step, upstream } from '../helpers/plan.js';

const lines = (text: string | undefined) => (text ?? '').split('\n');

/** What the shell in the zone makes of zlogin's arguments after the zone name. */
function zoneShellWords(s: Step): string[] {
  const wrapped = hostArgv(s);
  expect(wrapped[0]).toBe('zlogin');
  const rest = wrapped.slice(wrapped.indexOf(s.context.kind === 'zone' ? s.context.name : '') + 1);
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${rest.join(' ')}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('every upstream example plans on every platform', () => {
  for (const name of upstreamExampleNames)
    for (const platform of PLATFORMS)
      it(`${name} on ${platform}: unique ids, dependencies first`, () => {
        const plan = compilePlan(upstream(name), platform);
        const seen = new Set<string>();
        for (const s of plan.steps) {
          for (const d of s.dependsOn) expect(seen.has(d)).toBe(true);
          expect(seen.has(s.id)).toBe(false);
          seen.add(s.id);
        }
      });
});

describe('illumos zones (advanced-illumos-config)', () => {
  const plan = compilePlan(upstream('advanced-illumos-config.json'), 'illumos');

  it('writes a zonecfg command file per zone on the host', () => {
    const f = step(plan, 'zone:web-zone:zonecfg-file');
    expect(f.context).toEqual({ kind: 'host' });
    expect(f.argv).toEqual([
      'sh',
      '-c',
      WRITE_FILE_SCRIPT,
      'sh',
      '/var/lib/slipway/zones/web-zone.zonecfg',
      '0600',
    ]);
    const l = lines(f.stdin);
    expect(l[1]).toBe('create -b');
    for (const want of [
      'set brand=sparse',
      'set zonepath=/export/zones/web-zone',
      'set autoboot=true',
      'set ip-type=exclusive',
      'set cpu-shares=100',
      'set pool=rpool',
    ])
      expect(l).toContain(want);
    expect(l.some((x) => x.startsWith('set bootargs'))).toBe(false);
    const net = l.indexOf('add net');
    expect(l.slice(net, net + 6)).toEqual([
      'add net',
      '  set physical=vnic0',
      '  set global-nic=net0',
      '  set allowed-address=192.168.1.101/24',
      '  set defrouter=192.168.1.1',
      'end',
    ]);
    const cpu = l.indexOf('add capped-cpu');
    expect(l.slice(cpu, cpu + 3)).toEqual(['add capped-cpu', '  set ncpus=2', 'end']);
    const mem = l.indexOf('add capped-memory');
    expect(l.slice(mem, mem + 4)).toEqual([
      'add capped-memory',
      '  set physical=2G',
      '  set swap=4G',
      'end',
    ]);
    expect(l.slice(-3)).toEqual(['verify', 'commit', '']);
    expect(f.probe).toEqual({
      kind: 'file-content',
      path: '/var/lib/slipway/zones/web-zone.zonecfg',
      sha256: sha256(f.stdin!),
    });
  });

  it('delegates datasets and adds attrs for other properties', () => {
    const db = lines(step(plan, 'zone:db-zone:zonecfg-file').stdin);
    const ds = db.indexOf('add dataset');
    expect(db.slice(ds, ds + 3)).toEqual(['add dataset', '  set name=tank/zones/db-zone', 'end']);
    expect(step(plan, 'zone:db-zone:delegate:tank/zones/db-zone').argv).toEqual([
      'zfs',
      'create',
      '-p',
      'tank/zones/db-zone',
    ]);
    expect(step(plan, 'zone:db-zone:configure').dependsOn).toContain(
      'zone:db-zone:delegate:tank/zones/db-zone',
    );
    const lx = lines(step(plan, 'zone:monitoring-zone:zonecfg-file').stdin);
    expect(lx).toContain('set brand=lx');
    const at = lx.indexOf('add attr');
    expect(lx.slice(at, at + 5)).toEqual([
      'add attr',
      '  set name=kernel-version',
      '  set type=string',
      '  set value=4.4.0',
      'end',
    ]);
  });

  it('configures, installs and boots each zone, after the zonepath dataset', () => {
    const conf = step(plan, 'zone:web-zone:configure');
    expect(conf.argv).toEqual([
      'zonecfg',
      '-z',
      'web-zone',
      '-f',
      '/var/lib/slipway/zones/web-zone.zonecfg',
    ]);
    expect(conf.probe).toEqual({ kind: 'zone-state', zone: 'web-zone', state: 'configured' });
    const zpds = plan.steps.find(
      (s) => s.argv.includes('rpool/export/zones') && s.argv[1] === 'create',
    );
    expect(zpds).toBeDefined();
    expect(conf.dependsOn).toContain(zpds!.id);
    expect(step(plan, 'zone:web-zone:install').argv).toEqual([
      'zoneadm',
      '-z',
      'web-zone',
      'install',
    ]);
    expect(step(plan, 'zone:web-zone:install').probe).toEqual({
      kind: 'zone-state',
      zone: 'web-zone',
      state: 'installed',
    });
    expect(step(plan, 'zone:web-zone:boot').argv).toEqual(['zoneadm', '-z', 'web-zone', 'boot']);
    expect(step(plan, 'zone:web-zone:boot').probe).toEqual({
      kind: 'zone-state',
      zone: 'web-zone',
      state: 'running',
    });
    expect(plan.diagnostics.some((d) => d.path === 'containers.zones[0].properties.pool')).toBe(
      true,
    );
  });

  it('runs the nested config of web-zone through zlogin, each argument quoted', () => {
    const u = step(plan, 'zone:web-zone:user:webadmin');
    expect(u.context).toEqual({ kind: 'zone', name: 'web-zone' });
    expect(u.argv).toEqual([
      'useradd',
      '-G',
      'webservd',
      '-c',
      'Web Administrator',
      '-d',
      '/export/home/webadmin',
      '-m',
      '-s',
      '/bin/bash',
      'webadmin',
    ]);
    expect(displayCommand(u)).toBe(
      "zlogin -n web-zone useradd -G webservd -c ''\\''Web Administrator'\\''' -d /export/home/webadmin -m -s /bin/bash webadmin",
    );
    expect(zoneShellWords(u)).toEqual(u.argv);
    expect(u.dependsOn).toContain('zone:web-zone:packages:install');
    expect(idx(plan, 'zone:web-zone:boot')).toBeLessThan(idx(plan, 'zone:web-zone:hostname'));
    const pkgs = step(plan, 'zone:web-zone:packages:install');
    expect(hostArgv(pkgs)).toEqual([
      'zlogin',
      '-n',
      'web-zone',
      'pkg',
      'install',
      '--accept',
      'web/server/apache-24',
      'database/mysql-80',
      'runtime/python-39',
    ]);
    const keys = step(plan, 'zone:web-zone:user:webadmin:ssh-keys');
    expect(hostArgv(keys).slice(0, 2)).toEqual(['zlogin', 'web-zone']); // stdin kept open: no -n
    expect(keys.stdin).toBe('ssh-rsa AAAAB3NzaC1yc2E... webadmin@deploy\n');
    expect(zoneShellWords(keys)).toEqual(keys.argv);
    expect(step(plan, 'zone:web-zone:user:webadmin:sudo').argv).toEqual([
      'rm',
      '-f',
      '/etc/sudoers.d/90-slipway-webadmin',
    ]);
    expect(step(plan, 'zone:web-zone:hostname').argv).toEqual(['hostname', 'web-server']);
  });

  it('creates the nested datasets inside db-zone, where they are delegated', () => {
    const d = step(plan, 'zone:db-zone:dataset:tank/zones/db-zone/data');
    expect(d.context).toEqual({ kind: 'zone', name: 'db-zone' });
    expect(d.argv).toEqual([
      'zfs',
      'create',
      '-o',
      'mountpoint=/var/mysql',
      '-o',
      'compression=lz4',
      '-o',
      'recordsize=16K',
      '-o',
      'primarycache=metadata',
      '-o',
      'quota=100G',
      '-o',
      'reservation=20G',
      'tank/zones/db-zone/data',
    ]);
    expect(d.dependsOn).toEqual(['zone:db-zone:boot']);
    const snap = step(plan, 'zone:db-zone:snapshot:tank/zones/db-zone/data@daily-backup');
    expect(snap.argv).toEqual([
      'zfs',
      'snapshot',
      '-o',
      'com.example:backup_schedule=daily',
      'tank/zones/db-zone/data@daily-backup',
    ]);
    // Not on the host, where mountpoint=/var/mysql would mount in the global zone.
    expect(
      plan.steps.some(
        (s) => s.context.kind === 'host' && s.argv.includes('tank/zones/db-zone/data'),
      ),
    ).toBe(false);
    const custom = step(plan, 'zone:db-zone:user:dbadmin:sudo');
    expect(custom.stdin).toContain('dbadmin ALL=(mysql) NOPASSWD: /usr/mysql/8.0/bin/mysqld*\n');
    expect(custom.stdin).toContain('dbadmin ALL=(root) NOPASSWD: /usr/sbin/svcadm restart mysql\n');
    const run = step(plan, 'zone:db-zone:script:main:setup_mysql');
    expect(run.argv.slice(0, 2)).toEqual(['env', 'MYSQL_HOME=/var/mysql']);
    expect(run.argv.slice(-5)).toEqual([
      'sh',
      '/var/mysql',
      '/var/log/mysql-setup.log',
      '/bin/bash',
      '/var/lib/slipway/scripts/setup_mysql',
    ]);
    expect(run.timeoutSeconds).toBe(600);
  });

  it('treats the lx zone as Linux inside: apt sources, apt-get, the portable useradd script', () => {
    const src = step(plan, 'zone:monitoring-zone:apt:source:ubuntu-xenial');
    expect(src.stdin).toContain(
      'deb http://archive.ubuntu.com/ubuntu xenial main restricted universe multiverse\n',
    );
    expect(src.stdin).toContain(
      'deb http://archive.ubuntu.com/ubuntu xenial-updates main restricted universe multiverse\n',
    );
    const inst = step(plan, 'zone:monitoring-zone:packages:install');
    expect(inst.argv.slice(2, 3)).toEqual(['apt-get']);
    expect(inst.argv.slice(-4)).toEqual(['install', 'prometheus', 'grafana', 'node-exporter']);
    expect(step(plan, 'zone:monitoring-zone:user:prometheus').argv.slice(0, 3)).toEqual([
      'sh',
      '-c',
      CONTAINER_USERADD_SCRIPT,
    ]);
  });

  it('ignores zones on other platforms with a warning', () => {
    const linux = compilePlan(upstream('advanced-illumos-config.json'), 'linux');
    expect(linux.steps.some((s) => s.id.startsWith('zone:'))).toBe(false);
    expect(linux.diagnostics).toContainEqual(
      expect.objectContaining({
        path: 'containers.zones',
        message: 'zones are illumos only: ignored for linux',
      }),
    );
  });
});

describe('Linux containers (advanced-linux-config)', () => {
  const plan = compilePlan(upstream('advanced-linux-config.json'), 'linux');

  it('creates networks first, then the container with the flags an admin would type', () => {
    const net = step(plan, 'network:docker:web-network');
    expect(net.argv).toEqual(['docker', 'network', 'create', 'web-network']);
    expect(net.probe).toEqual({ kind: 'network-exists', runtime: 'docker', name: 'web-network' });
    const web = step(plan, 'container:web-server:create');
    expect(web.argv).toEqual([
      'docker',
      'create',
      '--name',
      'web-server',
      '--hostname',
      'web-container',
      '-e',
      'NGINX_HOST=web.example.com',
      '-e',
      'NGINX_PORT=80',
      '-v',
      '/data/web/html:/usr/share/nginx/html:ro',
      '-v',
      '/data/web/config/nginx.conf:/etc/nginx/nginx.conf:ro',
      '-p',
      '80:80/tcp',
      '-p',
      '443:443/tcp',
      '--network',
      'web-network',
      '--memory',
      '512M',
      '--memory-swap',
      '1G',
      '--cpus',
      '1',
      'nginx:1.21-alpine',
    ]);
    expect(web.dependsOn).toContain('network:docker:web-network');
    expect(idx(plan, 'network:docker:web-network')).toBeLessThan(
      idx(plan, 'container:web-server:create'),
    );
    const sha = (v: string) => createHash('sha256').update(v).digest('hex');
    expect(web.probe).toEqual({
      kind: 'container-state',
      runtime: 'docker',
      name: 'web-server',
      state: 'exists',
      // what apply compares with `docker inspect` of a container that exists;
      // environment values only as hashes (a probe is printed by plan --json)
      spec: {
        image: 'nginx:1.21-alpine',
        env: { NGINX_HOST: sha('web.example.com'), NGINX_PORT: sha('80') },
        ports: [
          { hostPort: 80, containerPort: 80, protocol: 'tcp' },
          { hostPort: 443, containerPort: 443, protocol: 'tcp' },
        ],
        volumes: [
          {
            type: 'bind',
            source: '/data/web/html',
            target: '/usr/share/nginx/html',
            readOnly: true,
          },
          {
            type: 'bind',
            source: '/data/web/config/nginx.conf',
            target: '/etc/nginx/nginx.conf',
            readOnly: true,
          },
        ],
        memory: '512M',
        memorySwap: '1G',
        cpus: 1,
        hostname: 'web-container',
        networks: ['web-network'],
      },
    });
    expect(JSON.stringify(web.probe)).not.toContain('web.example.com');
    const start = step(plan, 'container:web-server:start');
    expect(start.argv).toEqual(['docker', 'start', 'web-server']);
    expect(start.probe).toEqual({
      kind: 'container-state',
      runtime: 'docker',
      name: 'web-server',
      state: 'running',
    });
    // Containers wait for the host's packages (docker.io) and main scripts.
    expect(web.dependsOn).toContain('script:main:setup_container_configs');
  });

  it('publishes ports on the host ip, with named volumes and limits', () => {
    const db = step(plan, 'container:database:create');
    const a = db.argv;
    expect(a[a.indexOf('-p') + 1]).toBe('127.0.0.1:5432:5432/tcp');
    expect(a).toContain('postgres-data:/var/lib/postgresql/data');
    expect(a.slice(a.indexOf('--memory'), a.indexOf('--memory') + 6)).toEqual([
      '--memory',
      '2G',
      '--memory-swap',
      '4G',
      '--cpus',
      '2',
    ]);
  });

  it('redacts secret environment values and passwords inside URLs', () => {
    const db = step(plan, 'container:database:create');
    expect(db.argv).toContain('POSTGRES_PASSWORD=secure_password_here');
    expect(db.secrets).toEqual(['secure_password_here']);
    expect(displayCommand(db)).toContain('POSTGRES_PASSWORD=<redacted>');
    const app = step(plan, 'container:app-server:create');
    expect(displayCommand(app)).toContain(
      'DATABASE_URL=postgresql://appuser:<redacted>@database:5432/appdb',
    );
    const shown = renderPlan(plan, plain) + JSON.stringify(plan.steps.map(stepToJson));
    expect(shown).not.toContain('secure_password_here');
  });

  it('connects a docker container to its further networks after create', () => {
    const app = step(plan, 'container:app-server:create');
    expect(app.argv.filter((x) => x === '--network')).toHaveLength(1);
    expect(step(plan, 'container:app-server:connect:db-network').argv).toEqual([
      'docker',
      'network',
      'connect',
      'db-network',
      'app-server',
    ]);
    expect(step(plan, 'container:app-server:connect:cache-network').argv).toEqual([
      'docker',
      'network',
      'connect',
      'cache-network',
      'app-server',
    ]);
    expect(idx(plan, 'container:app-server:connect:cache-network')).toBeLessThan(
      idx(plan, 'container:app-server:start'),
    );
  });

  it('runs nested steps as docker exec in the container', () => {
    const w = step(plan, 'container:web-server:script:main:setup_web_content:write');
    expect(hostArgv(w).slice(0, 6)).toEqual(['docker', 'exec', '-u', '0', '-i', 'web-server']);
    const r = step(plan, 'container:web-server:script:main:setup_web_content');
    expect(hostArgv(r)).toEqual([
      'docker',
      'exec',
      '-u',
      '0',
      'web-server',
      '/bin/sh',
      '/var/lib/slipway/scripts/setup_web_content',
    ]);
    expect(r.dependsOn).toEqual(['container:web-server:script:main:setup_web_content:write']);
    expect(idx(plan, 'container:web-server:start')).toBeLessThan(
      idx(plan, 'container:web-server:timezone'),
    );
    expect(plan.steps.some((s) => s.id === 'container:web-server:hostname')).toBe(false);
    const pk = step(plan, 'container:backup-service:packages:install');
    expect(pk.argv.slice(-5)).toEqual(['install', 'rsync', 'tar', 'gzip', 'cronie']);
    expect(pk.argv[2]).toContain('apk add --no-cache');
  });
});

describe('container variants', () => {
  const base = (over: Record<string, unknown>, rest: Record<string, unknown> = {}) =>
    cfg({ ...rest, containers: { containers: [{ name: 'c1', image: 'localhost/deb', ...over }] } });

  it('podman takes several --network flags; stopped containers are stopped after their sysconfig', () => {
    const plan = compilePlan(
      base({
        runtime: 'podman',
        state: 'stopped',
        networks: ['a', 'b', 'host'],
        volumes: [{ source: '/t', target: '/t', mount_type: 'tmpfs', options: ['size=64m'] }],
        ports: [{ host_port: 8080, container_port: 80, host_ip: '::1', protocol: 'udp' }],
        sysconfig: {
          users: [{ name: 'alice', authentication: { ssh_keys: ['ssh-ed25519 AAAA alice'] } }],
          networking: { nameservers: ['9.9.9.9'], search_domains: ['example.org'] },
        },
      }),
      'linux',
    );
    const c = step(plan, 'container:c1:create');
    expect(c.argv).toEqual([
      'podman',
      'create',
      '--name',
      'c1',
      '--tmpfs',
      '/t:size=64m',
      '-p',
      '[::1]:8080:80/udp',
      '--network',
      'a',
      '--network',
      'b',
      '--network',
      'host',
      '--dns',
      '9.9.9.9',
      '--dns-search',
      'example.org',
      'localhost/deb',
    ]);
    expect(plan.steps.some((s) => s.id === 'network:podman:host')).toBe(false);
    expect(step(plan, 'container:c1:user:alice').context).toEqual({
      kind: 'container',
      name: 'c1',
      runtime: 'podman',
    });
    expect(step(plan, 'container:c1:user:alice').argv.slice(0, 4)).toEqual([
      'sh',
      '-c',
      CONTAINER_USERADD_SCRIPT,
      'sh',
    ]);
    const stop = step(plan, 'container:c1:stop');
    expect(stop.argv).toEqual(['podman', 'stop', 'c1']);
    expect(stop.dependsOn).toContain('container:c1:user:alice:ssh-keys');
    expect(stop.probe).toEqual({
      kind: 'container-state',
      runtime: 'podman',
      name: 'c1',
      state: 'stopped',
    });
  });

  it('skips containerd with a warning', () => {
    const plan = compilePlan(base({ runtime: 'containerd' }), 'linux');
    expect(plan.steps.some((s) => s.id.startsWith('container:'))).toBe(false);
    expect(plan.diagnostics.some((d) => d.path === 'containers.containers[0].runtime')).toBe(true);
  });

  it('makes a bind volume on a dataset mountpoint wait for that dataset', () => {
    const plan = compilePlan(
      base(
        { volumes: [{ source: '/srv/web/html', target: '/usr/share/nginx/html' }] },
        {
          storage: {
            pools: [{ name: 'tank', devices: ['/dev/sdb'] }],
            zfs_datasets: [{ name: 'tank/srv', properties: { mountpoint: '/srv' } }],
          },
        },
      ),
      'linux',
    );
    const ds = plan.steps.find(
      (s) => s.argv[0] === 'zfs' && s.argv[1] === 'create' && s.argv.includes('tank/srv'),
    );
    expect(ds).toBeDefined();
    expect(step(plan, 'container:c1:create').dependsOn).toContain(ds!.id);
  });

  it('keeps hostile values as single argv elements and refuses hostile names', () => {
    const plan = compilePlan(
      base({
        environment: { MSG: `$(reboot) 'x' "y"; rm -rf /` },
        command: ['sh', '-c', 'echo $HOME; id'],
      }),
      'linux',
    );
    const c = step(plan, 'container:c1:create');
    expect(c.argv).toContain(`MSG=$(reboot) 'x' "y"; rm -rf /`);
    expect(c.argv.slice(-3)).toEqual(['sh', '-c', 'echo $HOME; id']);
    const bad = compilePlan(base({ name: 'c1; rm -rf /' }), 'linux');
    expect(bad.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'error', path: 'containers.containers[0].name' }),
    );
    expect(bad.steps.some((s) => s.id.startsWith('container:'))).toBe(false);
  });
});

describe('zone and jail input checks', () => {
  it('refuses a zone name or zonecfg value that could become syntax', () => {
    const plan = compilePlan(
      cfg({
        containers: {
          zones: [
            { name: 'z;reboot', zonepath: '/zones/z' },
            { name: 'ok', zonepath: '/zones/ok', properties: { bootargs: 'x\nadd fs' } },
          ],
        },
      }),
      'illumos',
    );
    expect(plan.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'error', path: 'containers.zones[0].name' }),
    );
    expect(plan.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        path: 'containers.zones[1].properties.bootargs',
      }),
    );
    expect(plan.steps.filter((s) => s.id.startsWith('zone:'))).toEqual([]);
  });

  it('quotes zonecfg values with spaces', () => {
    const plan = compilePlan(
      cfg({
        containers: {
          zones: [
            {
              name: 'z',
              zonepath: '/zones/my zone',
              state: 'configured',
              properties: { comment: 'a b; c' },
            },
          ],
        },
      }),
      'illumos',
    );
    const l = lines(step(plan, 'zone:z:zonecfg-file').stdin);
    expect(l).toContain('set zonepath="/zones/my zone"');
    expect(l).toContain('set autoboot=false');
    expect(l).toContain('  set value="a b; c"');
    expect(plan.steps.some((s) => s.id === 'zone:z:install')).toBe(false);
  });
});

describe('FreeBSD jails', () => {
  const jailCfg = {
    containers: {
      jails: [
        {
          name: 'web',
          path: '/usr/local/jails/web',
          hostname: 'web.example.org',
          ip_addresses: ['192.0.2.10/24', '2001:db8::10/64'],
          interfaces: ['em0'],
          parameters: {
            'allow.raw_sockets': 'false',
            persist: 'true',
            devfs_ruleset: '4',
            'exec.start': '/bin/sh /etc/rc',
          },
          auto_start: true,
          sysconfig: {
            software: { packages_to_install: ['nginx'] },
            users: [{ name: 'www2', sudo: 'unrestricted' }],
            system: { timezone: 'UTC' },
          },
        },
      ],
    },
  };
  const plan = compilePlan(cfg(jailCfg), 'freebsd');

  it('writes a jail.conf(5) entry in /etc/jail.conf.d', () => {
    const conf = step(plan, 'jail:web:conf');
    expect(conf.argv[4]).toBe('/etc/jail.conf.d/web.conf');
    const l = lines(conf.stdin);
    expect(l[1]).toBe('web {');
    for (const want of [
      '    path = "/usr/local/jails/web";',
      '    host.hostname = web.example.org;',
      '    interface = em0;',
      '    ip4.addr = "192.0.2.10/24";',
      '    ip6.addr = "2001:db8::10/64";',
      '    allow.noraw_sockets;',
      '    persist;',
      '    devfs_ruleset = 4;',
      '    exec.start = "/bin/sh /etc/rc";',
      '    exec.stop = "/bin/sh /etc/rc.shutdown";',
      '    mount.devfs;',
    ])
      expect(l).toContain(want);
    expect(l.filter((x) => x.includes('exec.start'))).toHaveLength(1);
    expect(l.at(-2)).toBe('}');
  });

  it('puts the base system in place, enables the service and starts the jail', () => {
    const base = step(plan, 'jail:web:base');
    expect(base.argv.slice(-2)).toEqual(['sh', '/usr/local/jails/web']);
    expect(base.argv[2]).toContain('tar -xf "$t" -C "$1" --unlink');
    expect(base.probe).toMatchObject({
      kind: 'command',
      argv: ['test', '-x', '/usr/local/jails/web/bin/sh'],
    });
    expect(step(plan, 'jail:enable').argv).toEqual(['sysrc', 'jail_enable=YES']);
    expect(step(plan, 'jail:web:autostart').argv).toEqual(['sysrc', 'jail_list+=web']);
    const start = step(plan, 'jail:web:start');
    expect(start.argv).toEqual(['service', 'jail', 'start', 'web']);
    expect(start.probe).toEqual({ kind: 'jail-running', jail: 'web' });
    expect(start.dependsOn).toEqual(
      expect.arrayContaining([
        'jail:web:base',
        'jail:web:conf',
        'jail:enable',
        'jail:web:autostart',
      ]),
    );
  });

  it('runs the nested config through jexec', () => {
    const p = step(plan, 'jail:web:packages:install');
    expect(hostArgv(p)).toEqual(['jexec', 'web', 'pkg', 'install', '-y', 'nginx']);
    expect(idx(plan, 'jail:web:start')).toBeLessThan(idx(plan, 'jail:web:pkg:bootstrap'));
    expect(hostArgv(step(plan, 'jail:web:user:www2'))).toEqual([
      'jexec',
      'web',
      'pw',
      'useradd',
      '-n',
      'www2',
      '-m',
    ]);
    expect(step(plan, 'jail:web:user:www2:sudo').argv[4]).toBe(
      '/usr/local/etc/sudoers.d/90-slipway-www2',
    );
    expect(step(plan, 'jail:web:timezone').argv).toEqual([
      'cp',
      '/usr/share/zoneinfo/UTC',
      '/etc/localtime',
    ]);
  });

  it('ignores jails on Linux with a warning', () => {
    const linux = compilePlan(cfg(jailCfg), 'linux');
    expect(linux.steps.some((s) => s.id.startsWith('jail:'))).toBe(false);
    expect(linux.diagnostics.some((d) => d.path === 'containers.jails')).toBe(true);
  });
});

describe('repeated names (validation errors) never break the plan', () => {
  it('gives repeated steps distinct ids instead of throwing', () => {
    const c = cfg({
      users: [{ name: 'a' }, { name: 'a' }],
      networking: { interfaces: [{ name: 'net0' }, { name: 'net0' }] },
      containers: {
        zones: [
          { name: 'z', zonepath: '/zones/z', sysconfig: { users: [{ name: 'u' }] } },
          { name: 'z', zonepath: '/zones/z2', sysconfig: { users: [{ name: 'u' }] } },
        ],
        containers: [
          { name: 'c', image: 'i' },
          { name: 'c', image: 'i' },
        ],
        jails: [
          { name: 'j', path: '/j' },
          { name: 'j', path: '/j' },
        ],
      },
    });
    for (const p of PLATFORMS) {
      const plan = compilePlan(c, p);
      const ids = plan.steps.map((s) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toContain('user:a#2');
    }
    expect(compilePlan(c, 'illumos').steps.map((s) => s.id)).toContain('zone:z:user:u#2');
    expect(compilePlan(c, 'linux').steps.map((s) => s.id)).toContain('container:c:create#2');
  });
});

describe('the docker network probe reads docker inspect output', () => {
  it('succeeds only for a network the container is on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-docker-'));
    try {
      writeFileSync(
        join(dir, 'docker'),
        '#!/bin/sh\necho \'{"app-network":{"IPAddress":"10.0.0.2"},"db-network":{}}\'\n',
        { mode: 0o755 },
      );
      const plan = compilePlan(upstream('advanced-linux-config.json'), 'linux');
      const probe = step(plan, 'container:app-server:connect:db-network').probe;
      expect(probe.kind).toBe('command');
      if (probe.kind !== 'command') return;
      const env = { ...process.env, PATH: `${dir}:${process.env.PATH}` };
      const run = (argv: string[]) =>
        execFileSync(argv[0]!, argv.slice(1), { env, stdio: 'ignore' });
      expect(() => run(probe.argv)).not.toThrow();
      const other = step(plan, 'container:app-server:connect:cache-network').probe;
      if (other.kind !== 'command') throw new Error('expected a command probe');
      expect(() => run(other.argv)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('random names and values never make the plan throw', () => {
  it('holds for users, scripts, zones, jails and containers built from random strings', () => {
    const str = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('a', 'web', '/x', '', '$(id)', "a'b", 'a\nb', 'global', '-r', 'a b', '..'),
    );
    const config = fc.record({
      system: fc.record({
        hostname: str,
        timezone: str,
        locale: str,
        environment: fc.dictionary(str, str, { maxKeys: 2 }),
      }),
      users: fc.array(
        fc.record({
          name: str,
          groups: fc.array(str, { maxLength: 2 }),
          shell: str,
          home_directory: str,
          sudo: fc.oneof(
            fc.constant('deny'),
            fc.constant('unrestricted'),
            fc.record({ custom: fc.array(str, { maxLength: 2 }) }),
          ),
          authentication: fc.record({
            ssh_keys: fc.array(str, { maxLength: 2 }),
            password: fc.record({ hash: str }),
          }),
        }),
        { maxLength: 3 },
      ),
      scripts: fc.record({
        main_scripts: fc.array(
          fc.record({
            id: str,
            content: str,
            interpreter: str,
            working_directory: str,
            environment: fc.dictionary(str, str, { maxKeys: 2 }),
          }),
          { maxLength: 2 },
        ),
      }),
      networking: fc.record({
        interfaces: fc.array(fc.record({ name: str, gateway: str }), { maxLength: 2 }),
        nameservers: fc.array(str, { maxLength: 2 }),
      }),
      software: fc.record({ packages_to_install: fc.array(str, { maxLength: 3 }) }),
      containers: fc.record({
        zones: fc.array(
          fc.record({
            name: str,
            zonepath: str,
            properties: fc.dictionary(str, str, { maxKeys: 2 }),
            networks: fc.array(fc.record({ interface: str, physical: str, address: str }), {
              maxLength: 1,
            }),
            sysconfig: fc.record({ users: fc.array(fc.record({ name: str }), { maxLength: 1 }) }),
          }),
          { maxLength: 2 },
        ),
        jails: fc.array(
          fc.record({
            name: str,
            path: str,
            hostname: str,
            ip_addresses: fc.array(str, { maxLength: 2 }),
            parameters: fc.dictionary(str, str, { maxKeys: 2 }),
          }),
          { maxLength: 2 },
        ),
        containers: fc.array(
          fc.record({
            name: str,
            image: str,
            networks: fc.array(str, { maxLength: 2 }),
            environment: fc.dictionary(str, str, { maxKeys: 2 }),
            volumes: fc.array(fc.record({ source: str, target: str }), { maxLength: 2 }),
            sysconfig: fc.record({ system: fc.record({ hostname: str }) }),
          }),
          { maxLength: 2 },
        ),
      }),
    });
    fc.assert(
      fc.property(config, (value) => {
        const r = parseConfigValue(value);
        if (!r.ok) return;
        for (const p of PLATFORMS) {
          const plan = compilePlan(r.config, p);
          for (const d of plan.diagnostics) expect(typeof d.path).toBe('string');
          for (const s of plan.steps) {
            expect(Array.isArray(s.argv)).toBe(true);
            expect(s.argv.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
