/**
 * Real components for the snapshot/replication end-to-end tests and the
 * benchmark's twin: zfs-fuse pools on sparse files and an OpenSSH server on a
 * loopback port of its own, with its own host key and authorized keys. Only
 * what is started here is stopped here.
 */
import { execa } from 'execa';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function sh(argv: string[], input?: string): Promise<string> {
  const r = await execa(argv[0]!, argv.slice(1), { reject: false, input });
  if (r.exitCode !== 0)
    throw new Error(`${argv.join(' ')} exited ${r.exitCode}: ${String(r.stderr).trim()}`);
  return String(r.stdout);
}

/** What is missing for these tests on this machine, in words; empty when ready. */
export async function missingComponents(): Promise<string[]> {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (pools and sshd need it)');
  for (const bin of [
    '/usr/sbin/zfs',
    '/usr/sbin/zpool',
    '/usr/sbin/sshd',
    '/usr/bin/ssh',
    '/usr/bin/ssh-keygen',
  ])
    if (!existsSync(bin)) missing.push(bin);
  const pg = await execa('pgrep', ['-x', 'zfs-fuse'], { reject: false });
  if (pg.exitCode !== 0) missing.push('a running zfs-fuse daemon');
  return missing;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Wait for a condition, polling; fails after `ms`. */
export async function waitFor(what: string, test: () => Promise<boolean>, ms = 15_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface SshServer {
  port: number;
  /** ssh client config to pass as `--ssh-config` (known host, key). */
  clientConfig: string;
  log: string;
  /** "Accepted publickey" lines in sshd's log so far: one per SSH handshake. */
  handshakes(): number;
  stop(): Promise<void>;
}

/**
 * Start sshd `name` on 127.0.0.1 (on `port` when given: a restart). Servers
 * started in the same `dir` share the user key, the known hosts and the
 * client config, so one `--ssh-config` reaches all of them.
 */
export async function startSshd(dir: string, name = 'sshd', port?: number): Promise<SshServer> {
  port ??= await freePort();
  const own = join(dir, name);
  mkdirSync(own, { recursive: true });
  const hostKey = join(own, 'host_ed25519');
  const userKey = join(dir, 'id_ed25519');
  if (!existsSync(hostKey))
    await sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  if (!existsSync(userKey))
    await sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', userKey]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${userKey}.pub`, 'utf8'), {
    mode: 0o600,
  });
  const hostPub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const knownHosts = join(dir, 'known_hosts');
  const known = existsSync(knownHosts) ? readFileSync(knownHosts, 'utf8') : '';
  const line = `[127.0.0.1]:${port} ${hostPub}\n`;
  if (!known.includes(line)) writeFileSync(knownHosts, known + line);
  const log = join(own, 'sshd.log');
  const config = join(own, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(own, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'LogLevel VERBOSE',
      'MaxSessions 100',
      'MaxStartups 100:30:200',
      '',
    ].join('\n'),
  );
  const clientConfig = join(dir, 'ssh_config');
  writeFileSync(
    clientConfig,
    [
      'Host *',
      `  UserKnownHostsFile ${knownHosts}`,
      '  StrictHostKeyChecking yes',
      `  IdentityFile ${userKey}`,
      '  IdentitiesOnly yes',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-f', config, '-E', log], {
    stdio: 'ignore',
  });
  let exited = false;
  child.on('exit', () => (exited = true));
  const p = port;
  await waitFor(`sshd on 127.0.0.1:${p}`, async () => {
    if (exited) throw new Error(`sshd exited at start; see ${log}: ${readFileSync(log, 'utf8')}`);
    return canConnect(p);
  });
  return {
    port,
    clientConfig,
    log,
    handshakes: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter((l) => l.includes('Accepted publickey')).length
        : 0,
    stop: async () => {
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await done;
    },
  };
}

export interface Pools {
  dir: string;
  names: string[];
  destroy(): Promise<void>;
}

/** zfs-fuse pools on sparse files, mounted under `dir`. */
export async function createPools(dir: string, names: string[], size = '128M'): Promise<Pools> {
  const created: string[] = [];
  const pools: Pools = {
    dir,
    names: created,
    destroy: async () => {
      // zfs-fuse may call a pool busy for a moment after its last unmount
      for (const n of [...created].reverse())
        await waitFor(`pool ${n} to be destroyed`, async () => {
          const r = await execa('zpool', ['destroy', '-f', n], { reject: false });
          return r.exitCode === 0 || /no such pool/.test(String(r.stderr));
        }).catch(() => undefined);
    },
  };
  for (const n of names) {
    const img = join(dir, `${n}.img`);
    await sh(['truncate', '-s', size, img]);
    await sh(['zpool', 'create', '-m', join(dir, 'mnt', n), n, img]);
    created.push(n);
  }
  return pools;
}

export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
}

/** Snapshot names of `dataset` (part after @), oldest first. */
export async function snapshotsOf(dataset: string): Promise<string[]> {
  const r = await execa('zfs', ['list', '-H', '-t', 'snapshot', '-o', 'name', '-d', '1', dataset], {
    reject: false,
  });
  if (r.exitCode !== 0) return [];
  return String(r.stdout)
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(l.indexOf('@') + 1));
}

export async function zfsGet(target: string, prop: string): Promise<string> {
  return (await sh(['zfs', 'get', '-H', '-o', 'value', prop, target])).trim();
}
