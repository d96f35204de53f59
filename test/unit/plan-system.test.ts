import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compilePlan, type Plan, type Platform } from '../../src/plan/index.js';
import { displayCommand, hostArgv } from '../../src/plan/shell.js';
import { renderPlan, stepToJson } from '../../src/plan/describe.js';
import {
  HAS_KEY_SCRIPT,
  SET_KEY_SCRIPT,
  WRITE_FILE_SCRIPT,
  WRITE_HOME_FILE_SCRIPT,
  WRITE_SUDOERS_SCRIPT,
  sha256,
} from '../../src/platform/files.js';
import { RUN_SCRIPT } from '../../src/plan/system.js';
import { containerUseraddArgv, linuxPackagesProbeArgv } from '../../src/platform/linux.js';
import { ILLUMOS_SET_HASH_SCRIPT } from '../../src/platform/illumos.js';
import { cfg, idx, plain, step, upstream } from '../helpers/plan.js';

/** Everything a plan shows or stores: human rendering and JSON. */
function everythingShown(plan: Plan): string {
  return renderPlan(plan, plain) + JSON.stringify(plan.steps.map(stepToJson));
}

const HASH = '$6$rounds=4096$salt$hash...';

describe('Linux host basics (advanced-linux-config)', () => {
  const plan = compilePlan(upstream('advanced-linux-config.json'), 'linux');

  it('sets host name, time zone and locale the systemd way', () => {
    expect(step(plan, 'hostname').argv).toEqual(['hostnamectl', 'set-hostname', 'linux-server']);
    expect(step(plan, 'timezone').argv).toEqual(['timedatectl', 'set-timezone', 'UTC']);
    expect(step(plan, 'timezone').probe).toMatchObject({
      kind: 'command',
      argv: ['cmp', '-s', '/usr/share/zoneinfo/UTC', '/etc/localtime'],
    });
    expect(step(plan, 'locale').argv).toEqual(['localectl', 'set-locale', 'LANG=en_US.UTF-8']);
    const env = step(plan, 'environment');
    expect(env.stdin).toContain("export PAGER='less -R'");
    expect(env.stdin).toContain('export EDITOR=vim');
  });

  it('writes the docker apt source with its key and installs packages with apt-get', () => {
    const key = step(plan, 'apt:key:docker');
    expect(key.argv.slice(-3)).toEqual([
      '/etc/apt/keyrings/docker.gpg',
      'keyserver.ubuntu.com',
      '9DC858229FC7DD38854AE2D88D81803C0EBFCD88',
    ]);
    const src = step(plan, 'apt:source:docker');
    expect(src.argv[4]).toBe('/etc/apt/sources.list.d/docker.list');
    expect(src.stdin).toContain(
      'deb [signed-by=/etc/apt/keyrings/docker.gpg] https://download.docker.com/linux/ubuntu focal stable',
    );
    expect(src.dependsOn).toContain('apt:key:docker');
    const inst = step(plan, 'packages:install');
    expect(inst.argv.slice(0, 4)).toEqual([
      'env',
      'DEBIAN_FRONTEND=noninteractive',
      'apt-get',
      '-y',
    ]);
    expect(inst.argv.slice(-9)).toEqual([
      'install',
      'vim',
      'git',
      'htop',
      'curl',
      'wget',
      'docker.io',
      'docker-compose',
      'systemd-container',
    ]);
    expect(idx(plan, 'packages:refresh')).toBeLessThan(idx(plan, 'packages:install'));
    expect(idx(plan, 'apt:source:docker')).toBeLessThan(idx(plan, 'packages:refresh'));
  });

  it('creates the user with useradd after its groups, and after the packages (docker group)', () => {
    const u = step(plan, 'user:admin');
    expect(u.argv).toEqual([
      'useradd',
      '-u',
      '1000',
      '-g',
      'admin',
      '-G',
      'sudo,docker,systemd-journal',
      '-c',
      'System Administrator',
      '-d',
      '/home/admin',
      '-m',
      '-s',
      '/bin/bash',
      'admin',
    ]);
    expect(u.probe).toEqual({ kind: 'user-exists', user: 'admin' });
    for (const g of ['admin', 'sudo', 'docker', 'systemd-journal']) {
      expect(u.dependsOn).toContain(`group:${g}`);
      expect(step(plan, `group:${g}`).argv).toEqual(['groupadd', g]);
    }
    expect(step(plan, 'group:docker').dependsOn).toContain('packages:install');
  });

  it('sets the password hash through chpasswd -e on stdin and never shows it', () => {
    const p = step(plan, 'user:admin:password');
    expect(p.argv).toEqual(['chpasswd', '-e']);
    expect(p.stdin).toBe(`admin:${HASH}\n`);
    expect(p.secrets).toEqual([HASH]);
    expect(displayCommand(p)).not.toContain(HASH);
    expect(JSON.stringify(stepToJson(p))).not.toContain(HASH);
    expect(JSON.stringify(stepToJson(p))).toContain('<redacted>');
    expect(everythingShown(plan)).not.toContain('$6$rounds=4096$salt');
  });

  it('installs ssh keys as a file in the home, 0600 in a 0700 .ssh owned by the user', () => {
    const k = step(plan, 'user:admin:ssh-keys');
    expect(k.argv).toEqual([
      'sh',
      '-c',
      WRITE_HOME_FILE_SCRIPT,
      'sh',
      '/home/admin/.ssh/authorized_keys',
      '0600',
      'admin:admin',
      '0700',
    ]);
    expect(k.stdin).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFoo... admin@workstation\n');
    expect(k.probe).toEqual({
      kind: 'file-content',
      path: '/home/admin/.ssh/authorized_keys',
      sha256: sha256(k.stdin!),
    });
    expect(k.dependsOn).toEqual(['user:admin']);
  });

  it('grants unrestricted sudo with a drop-in checked by visudo', () => {
    const s = step(plan, 'user:admin:sudo');
    expect(s.argv).toEqual([
      'sh',
      '-c',
      WRITE_SUDOERS_SCRIPT,
      'sh',
      '/etc/sudoers.d/90-slipway-admin',
      '0440',
    ]);
    expect(WRITE_SUDOERS_SCRIPT).toContain('visudo -cf "$t"');
    expect(s.stdin).toContain('admin ALL=(ALL) NOPASSWD: ALL\n');
  });

  it('runs scripts early → packages → users → main, and late after every container', () => {
    const early = step(plan, 'script:early:system_preparation');
    expect(early.argv).toEqual(['/bin/bash', '/var/lib/slipway/scripts/system_preparation']);
    expect(early.timeoutSeconds).toBe(300);
    expect(early.probe.kind).toBe('journal');
    expect(step(plan, 'script:early:system_preparation:write').stdin).toContain(
      "echo 'Preparing Linux system for containers...'",
    );
    expect(idx(plan, 'script:early:system_preparation')).toBeLessThan(
      idx(plan, 'packages:install'),
    );
    expect(idx(plan, 'user:admin')).toBeLessThan(idx(plan, 'script:main:setup_docker_volumes'));
    const late = step(plan, 'script:late:verify_container_stack');
    expect(late.argv).toEqual([
      'sh',
      '-c',
      RUN_SCRIPT,
      'sh',
      '',
      '/var/log/container-verification.log',
      '/bin/bash',
      '/var/lib/slipway/scripts/verify_container_stack',
    ]);
    const lateWrite = step(plan, 'script:late:verify_container_stack:write');
    expect(lateWrite.dependsOn).toContain(
      'container:backup-service:script:main:create_backup_script',
    );
    expect(idx(plan, 'container:web-server:start')).toBeLessThan(
      idx(plan, 'script:late:verify_container_stack'),
    );
    // No step for power_state "noop".
    expect(plan.steps.some((s) => s.id === 'power-state')).toBe(false);
  });

  it('writes networking for systemd-networkd and says it is not restarted', () => {
    const n = step(plan, 'net:eth0');
    expect(n.argv[4]).toBe('/etc/systemd/network/10-slipway-eth0.network');
    expect(n.stdin).toContain('Name=eth0\n');
    expect(n.stdin).toContain('Address=192.168.1.200/24\n');
    expect(n.stdin).toContain('Gateway=192.168.1.1\n');
    expect(n.stdin).toContain('MTUBytes=1500\n');
    expect(step(plan, 'dns').stdin).toContain('DNS=1.1.1.1 8.8.8.8\n');
    expect(
      plan.diagnostics.some((d) => d.path === 'networking' && /next boot/.test(d.message)),
    ).toBe(true);
  });
});

describe('unified-provisioning on each platform', () => {
  const c = upstream('unified-provisioning.json');

  it('FreeBSD: pw useradd, pw usermod -H 0, sysrc, pkg repos and pkg install -y', () => {
    const plan = compilePlan(c, 'freebsd');
    expect(step(plan, 'user:admin').argv).toEqual([
      'pw',
      'useradd',
      '-n',
      'admin',
      '-u',
      '1000',
      '-g',
      'staff',
      '-G',
      'wheel,adm,sys',
      '-c',
      'System Administrator',
      '-d',
      '/home/admin',
      '-m',
      '-s',
      '/bin/bash',
    ]);
    const pw = step(plan, 'user:admin:password');
    expect(pw.argv).toEqual(['pw', 'usermod', 'admin', '-H', '0']);
    expect(pw.stdin).toBe('$6$rounds=4096$saltsalt$hash...\n');
    expect(step(plan, 'user:admin:expire').argv).toEqual(['pw', 'usermod', 'admin', '-p', '1']);
    expect(step(plan, 'user:admin:sudo').argv[4]).toBe('/usr/local/etc/sudoers.d/90-slipway-admin');
    expect(step(plan, 'hostname:rc.conf').argv).toEqual([
      'sysrc',
      'hostname=unified-test-host.example.com',
    ]);
    expect(step(plan, 'timezone').argv).toEqual([
      'cp',
      '/usr/share/zoneinfo/America/New_York',
      '/etc/localtime',
    ]);
    const repo = step(plan, 'pkg:repo:local');
    expect(repo.argv[4]).toBe('/usr/local/etc/pkg/repos/local.conf');
    expect(repo.stdin).toContain(
      'local: {\n  url: "http://pkg.example.com/freebsd/",\n  enabled: yes,\n  priority: 50,',
    );
    expect(step(plan, 'packages:install').argv).toEqual([
      'pkg',
      'install',
      '-y',
      'vim',
      'tmux',
      'git',
      'curl',
      'wget',
      'htop',
    ]);
    expect(step(plan, 'packages:remove').argv).toEqual(['pkg', 'delete', '-y', 'telnet', 'ftp']);
    expect(step(plan, 'net:net1').argv).toEqual([
      'sysrc',
      'ifconfig_net1=inet 192.168.100.50/24 mtu 1500',
    ]);
    expect(step(plan, 'net:net0').argv).toEqual(['sysrc', 'ifconfig_net0=DHCP mtu 1500']);
    expect(step(plan, 'net:route:0').argv).toEqual([
      'sysrc',
      'route_slipway0=-net 10.0.0.0/8 192.168.100.1',
    ]);
    for (const kind of ['apt', 'yum', 'ips'])
      expect(plan.diagnostics.some((d) => d.path === `software.repositories.${kind}`)).toBe(true);
    expect(everythingShown(plan)).not.toContain('$6$rounds=4096$saltsalt');
  });

  it('illumos: IPS publishers and pkg install with exit 4 as success, useradd, passwd -f, shadow via stdin', () => {
    const plan = compilePlan(c, 'illumos');
    expect(step(plan, 'pkg:publisher:solaris').argv).toEqual([
      'pkg',
      'set-publisher',
      '-g',
      'https://pkg.oracle.com/solaris/release/',
      '-P',
      'solaris',
    ]);
    expect(step(plan, 'pkg:publisher:extra').argv).toEqual([
      'pkg',
      'set-publisher',
      '-g',
      'https://pkg.example.com/extra/',
      'extra',
    ]);
    const inst = step(plan, 'packages:install');
    expect(inst.argv).toEqual([
      'pkg',
      'install',
      '--accept',
      'vim',
      'tmux',
      'git',
      'curl',
      'wget',
      'htop',
    ]);
    expect(inst.okExitCodes).toEqual([4]);
    expect(step(plan, 'user:admin').argv).toEqual([
      'useradd',
      '-u',
      '1000',
      '-g',
      'staff',
      '-G',
      'wheel,adm,sys',
      '-c',
      'System Administrator',
      '-d',
      '/home/admin',
      '-m',
      '-s',
      '/bin/bash',
      'admin',
    ]);
    const pw = step(plan, 'user:admin:password');
    expect(pw.argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(pw.argv.slice(3)).toEqual(['sh', 'admin']);
    expect(pw.argv.join(' ')).not.toContain('$6$');
    expect(pw.stdin).toBe('$6$rounds=4096$saltsalt$hash...\n');
    expect(step(plan, 'user:admin:expire').argv).toEqual(['passwd', '-f', 'admin']);
    expect(step(plan, 'hostname:nodename').stdin).toBe('unified-test-host\n');
    expect(step(plan, 'hostname').argv).toEqual(['hostname', 'unified-test-host']);
    expect(step(plan, 'timezone').argv.slice(-3)).toEqual([
      '/etc/default/init',
      'TZ',
      'America/New_York',
    ]);
    expect(step(plan, 'net:net1/staticv4').argv).toEqual([
      'ipadm',
      'create-addr',
      '-T',
      'static',
      '-a',
      '192.168.100.50/24',
      'net1/staticv4',
    ]);
    expect(step(plan, 'net:net0/dhcp4').argv).toEqual([
      'ipadm',
      'create-addr',
      '-T',
      'dhcp',
      'net0/dhcp4',
    ]);
    expect(step(plan, 'nsswitch').argv).toEqual(['cp', '/etc/nsswitch.dns', '/etc/nsswitch.conf']);
    expect(plan.diagnostics.some((d) => d.path === 'system.environment')).toBe(true);
  });

  it('Linux: scripts get env, working directory, output file and timeout; ansible-pull runs', () => {
    const plan = compilePlan(c, 'linux');
    const s = step(plan, 'script:early:system_prep');
    expect(s.argv).toEqual([
      'env',
      'STAGE=early',
      'sh',
      '-c',
      RUN_SCRIPT,
      'sh',
      '/tmp',
      '/var/log/system-prep.log',
      '/bin/bash',
      '/var/lib/slipway/scripts/system_prep',
    ]);
    expect(s.timeoutSeconds).toBe(300);
    const a = step(plan, 'ansible');
    expect(a.argv).toEqual([
      'ansible-pull',
      '-U',
      'https://github.com/example/ansible-playbooks.git',
      '-C',
      'main',
      '-e',
      '{"environment":"production","datacenter":"us-east-1"}',
      'site.yml',
    ]);
    expect(idx(plan, 'script:main:install_monitoring')).toBeLessThan(idx(plan, 'ansible'));
    // apt and yum both given: distro unknown, the fixed script picks the manager.
    expect(step(plan, 'packages:install').argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(step(plan, 'packages:install').argv.slice(-7)).toEqual([
      'install',
      'vim',
      'tmux',
      'git',
      'curl',
      'wget',
      'htop',
    ]);
    expect(step(plan, 'user:admin:ssh-import').argv).toEqual([
      'ssh-import-id',
      '-o',
      '/home/admin/.ssh/authorized_keys2',
      'gh:admin-github',
      'lp:admin-launchpad',
    ]);
    expect(step(plan, 'user:appuser:sudo').argv).toEqual([
      'rm',
      '-f',
      '/etc/sudoers.d/90-slipway-appuser',
    ]);
    expect(step(plan, 'user:svcuser').argv).toEqual([
      'useradd',
      '-r',
      '-u',
      '999',
      '-G',
      'daemon',
      '-c',
      'Service Account',
      '-d',
      '/var/lib/svcuser',
      '-M',
      '-s',
      '/bin/false',
      'svcuser',
    ]);
  });
});

describe('secrets and power state', () => {
  const c = cfg({
    system: { environment: { API_TOKEN: 'tok-123-secret' } },
    scripts: {
      always_scripts: [
        { id: 'every', content: 'echo hi', environment: { DB_PASSWORD: 'pw-very-secret' } },
      ],
    },
    integrations: {
      ansible: {
        repository_url: 'https://git.example/x.git',
        playbook_path: 'site.yml',
        vault_password: 'vault-pw-xyz',
      },
      chef: {
        server_url: 'https://chef.example',
        node_name: 'n1',
        validation_client_name: 'v',
        validation_key: '-----BEGIN KEY-----\nSEKRITKEY\n-----END KEY-----',
        run_list: ['recipe[a]'],
      },
    },
    power_state: { mode: 'reboot', delay: 1, message: 'bye' },
  });
  for (const platform of ['linux', 'freebsd', 'illumos'] as Platform[]) {
    it(`redacts every secret on ${platform}`, () => {
      const plan = compilePlan(c, platform);
      const shown = everythingShown(plan);
      for (const secret of ['pw-very-secret', 'vault-pw-xyz', 'SEKRITKEY'])
        expect(shown).not.toContain(secret);
      if (platform !== 'illumos') expect(shown).not.toContain('tok-123-secret');
      expect(step(plan, 'ansible:vault-password').secrets).toEqual(['vault-pw-xyz']);
      expect(step(plan, 'ansible').argv).toContain('--vault-password-file');
      expect(step(plan, 'script:always:every').probe.kind).toBe('always');
    });
  }
  it('adds power state as the final step, after everything', () => {
    const plan = compilePlan(c, 'linux');
    const last = plan.steps[plan.steps.length - 1]!;
    expect(last.id).toBe('power-state');
    expect(last.argv).toEqual(['shutdown', '-r', '+1', 'bye']);
    expect(last.title).toMatch(/^FINAL STEP: Reboot/);
    expect(compilePlan(c, 'illumos').steps.at(-1)!.argv).toEqual([
      'shutdown',
      '-y',
      '-g',
      '60',
      '-i',
      '6',
      'bye',
    ]);
  });
});

describe('bad input never becomes shell syntax', () => {
  const evil = `x'; rm -rf / #$(reboot)\`id\`"\n;`;

  it('refuses user and group names that are not account names, with the path', () => {
    const plan = compilePlan(
      cfg({ users: [{ name: 'bob;rm -rf /' }, { name: 'ok', groups: ['$(id)'] }] }),
      'linux',
    );
    expect(plan.diagnostics.some((d) => d.severity === 'error' && d.path === 'users[0].name')).toBe(
      true,
    );
    expect(
      plan.diagnostics.some((d) => d.severity === 'error' && d.path === 'users[1].groups'),
    ).toBe(true);
    expect(plan.steps.filter((s) => s.id.startsWith('user:') || s.id.startsWith('group:'))).toEqual(
      [],
    );
  });

  it('keeps file content and script content on stdin, with a fixed script text', () => {
    const plan = compilePlan(
      cfg({
        users: [
          {
            name: 'eve',
            authentication: { ssh_keys: [`ssh-ed25519 AAAA ${evil.replace(/\n/g, ' ')}`] },
          },
        ],
        scripts: {
          main_scripts: [{ id: 'a b/../c', content: evil, working_directory: '/tmp/$(x)' }],
        },
      }),
      'linux',
    );
    const keys = step(plan, 'user:eve:ssh-keys');
    expect(keys.argv[2]).toBe(WRITE_HOME_FILE_SCRIPT);
    expect(keys.argv.join(' ')).not.toContain('rm -rf');
    const w = step(plan, 'script:main:a b/../c:write');
    expect(w.argv).toEqual([
      'sh',
      '-c',
      WRITE_FILE_SCRIPT,
      'sh',
      '/var/lib/slipway/scripts/a_b_.._c',
      '0700',
    ]);
    expect(w.stdin).toBe(evil);
    expect(step(plan, 'script:main:a b/../c').argv).toContain('/tmp/$(x)');
  });

  it('quotes every argument for the shell zlogin starts in the zone', () => {
    const c = cfg({
      containers: {
        zones: [
          {
            name: 'z1',
            zonepath: '/zones/z1',
            sysconfig: {
              users: [
                {
                  name: 'eve',
                  description: `Eve $(reboot) 'q' "dq" \`id\` ; & |`,
                  shell: '/bin/sh',
                },
              ],
              scripts: {
                main_scripts: [{ id: 's', content: evil, environment: { MSG: `a'b $(c) "d"` } }],
              },
            },
          },
        ],
      },
    });
    const plan = compilePlan(c, 'illumos');
    for (const id of ['zone:z1:user:eve', 'zone:z1:script:main:s', 'zone:z1:script:main:s:write']) {
      const s = step(plan, id);
      const wrapped = hostArgv(s);
      expect(wrapped[0]).toBe('zlogin');
      const rest = wrapped.slice(wrapped.indexOf('z1') + 1);
      // What the zone's shell makes of the joined words must be the argv itself.
      const out = execFileSync('sh', ['-c', `printf '%s\\0' ${rest.join(' ')}`], {
        encoding: 'utf8',
      });
      expect(out.split('\0').slice(0, -1)).toEqual(s.argv);
    }
  });
});

describe('the fixed scripts do what they say (run here with /bin/sh)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-sys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const sh = (script: string, args: string[], input?: string) =>
    execFileSync('sh', ['-c', script, 'sh', ...args], { encoding: 'utf8', input: input ?? '' });

  it('WRITE_FILE_SCRIPT writes exactly the content with the mode, to a path with odd characters', () => {
    const path = join(dir, "we ird $(x) 'q'", 'sub', 'f');
    const content = `line 1\n$(reboot) 'x' "y"\n\\n no newline at end`;
    sh(WRITE_FILE_SCRIPT, [path, '0640'], content);
    expect(readFileSync(path, 'utf8')).toBe(content);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    sh(WRITE_FILE_SCRIPT, [path, '0600'], 'again');
    expect(readFileSync(path, 'utf8')).toBe('again');
  });

  it('SET_KEY_SCRIPT replaces or appends KEY=value, and HAS_KEY_SCRIPT sees it', () => {
    const f = join(dir, 'init');
    writeFileSync(f, '# comment\nTZ=US/Pacific\nCMASK=022\n');
    const value = 'Europe/Berlin&\\1/$(x)';
    expect(() => sh(HAS_KEY_SCRIPT, [f, 'TZ', value])).toThrow();
    sh(SET_KEY_SCRIPT, [f, 'TZ', value]);
    expect(readFileSync(f, 'utf8')).toBe(`# comment\nTZ=${value}\nCMASK=022\n`);
    sh(HAS_KEY_SCRIPT, [f, 'TZ', value]);
    sh(SET_KEY_SCRIPT, [f, 'LANG', 'C.UTF-8']);
    expect(readFileSync(f, 'utf8')).toBe(`# comment\nTZ=${value}\nCMASK=022\nLANG=C.UTF-8\n`);
  });

  it('RUN_SCRIPT runs in the working directory and appends output to the file', () => {
    const out = join(dir, 'out.log');
    sh(RUN_SCRIPT, [dir, out, 'sh', '-c', 'pwd; echo err >&2']);
    sh(RUN_SCRIPT, ['', out, 'echo', 'second']);
    expect(readFileSync(out, 'utf8')).toBe(`${dir}\nerr\nsecond\n`);
    expect(() => sh(RUN_SCRIPT, ['', '', 'false'])).toThrow();
  });
});

describe('platform scripts with stand-in commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-stub-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'calls.log');
  const stub = (bin: string, name: string) =>
    writeFileSync(
      join(bin, name),
      `#!/bin/sh\nprintf '%s' "${name}" >> "${log}"; for a in "$@"; do printf ' [%s]' "$a" >> "${log}"; done; echo >> "${log}"\n`,
      { mode: 0o755 },
    );
  const run = (bin: string, argv: string[]) => {
    writeFileSync(log, '');
    execFileSync(argv[0]!, argv.slice(1), {
      env: { PATH: `${bin}:/usr/bin:/bin` },
      stdio: 'ignore',
    });
    return readFileSync(log, 'utf8');
  };
  const u = {
    name: 'alice',
    uid: 1001,
    primary_group: 'staff',
    groups: ['wheel', 'docker'],
    description: `Alice $(id) 'q'`,
    home_directory: '/home/alice',
    shell: '/bin/sh',
    create_home: true,
    system_user: false,
    authentication: { ssh_keys: [], ssh_import_ids: [] },
  };

  it('the container useradd script uses useradd when the image has it', () => {
    const bin = join(dir, 'with');
    execFileSync('mkdir', ['-p', bin]);
    stub(bin, 'useradd');
    expect(run(bin, containerUseraddArgv(u, u.home_directory))).toBe(
      `useradd [-u] [1001] [-g] [staff] [-G] [wheel,docker] [-c] [Alice $(id) 'q'] [-d] [/home/alice] [-m] [-s] [/bin/sh] [alice]\n`,
    );
  });

  it('…and busybox adduser plus addgroup when it has not', () => {
    const bin = join(dir, 'without');
    execFileSync('mkdir', ['-p', bin]);
    stub(bin, 'adduser');
    stub(bin, 'addgroup');
    expect(run(bin, containerUseraddArgv(u, u.home_directory))).toBe(
      `adduser [-D] [-u] [1001] [-G] [staff] [-g] [Alice $(id) 'q'] [-h] [/home/alice] [-s] [/bin/sh] [alice]\naddgroup [alice] [wheel]\naddgroup [alice] [docker]\n`,
    );
  });

  it('the package probe asks dpkg-query here (Debian), installed vs absent', () => {
    const sh = (argv: string[]) => execFileSync(argv[0]!, argv.slice(1), { stdio: 'ignore' });
    expect(() => sh(linuxPackagesProbeArgv('installed', ['bash', 'coreutils']))).not.toThrow();
    expect(() =>
      sh(linuxPackagesProbeArgv('installed', ['bash', 'no-such-package-slipway'])),
    ).toThrow();
    expect(() => sh(linuxPackagesProbeArgv('absent', ['no-such-package-slipway']))).not.toThrow();
    expect(() => sh(linuxPackagesProbeArgv('absent', ['bash']))).toThrow();
  });

  it('the illumos shadow script replaces only the hash field of that user (run on a copy)', () => {
    const shadow = join(dir, 'shadow');
    writeFileSync(shadow, 'root:$5$x:19000::::::\nalice:*LK*:19000::::::\nbob:NP:::::::\n');
    const script = ILLUMOS_SET_HASH_SCRIPT.replaceAll(
      '/etc/.shadow.',
      `${dir}/.shadow.`,
    ).replaceAll('/etc/shadow', shadow);
    execFileSync('sh', ['-c', script, 'sh', 'alice'], { input: `${HASH}\n` });
    expect(readFileSync(shadow, 'utf8')).toBe(
      `root:$5$x:19000::::::\nalice:${HASH}:19000::::::\nbob:NP:::::::\n`,
    );
    expect(statSync(shadow).mode & 0o777).toBe(0o400);
    expect(() =>
      execFileSync('sh', ['-c', script, 'sh', 'carol'], { input: `${HASH}\n`, stdio: 'ignore' }),
    ).toThrow();
    expect(() =>
      execFileSync('sh', ['-c', script, 'sh', 'alice'], { input: 'a:b\n', stdio: 'ignore' }),
    ).toThrow();
  });
});
