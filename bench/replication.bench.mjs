// Incremental replication of 40 datasets to one target over SSH: how many SSH
// handshakes one `slipway snapshot run` makes (sshd's "Accepted publickey"
// lines; target ≤ 2 per target) and its wall time, against one connection per
// dataset (`zfs send -I … | ssh host zfs receive …` for each), in the same run.
// Needs root, a running zfs-fuse, OpenSSH and dist/slipway.js; prints, never asserts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const COUNT = Number(process.env.SLIPWAY_BENCH_DATASETS ?? 40);

function sh(argv, input) {
  const r = spawnSync(argv[0], argv.slice(1), { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const canConnect = (port) =>
  new Promise((res) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), res(true)));
    s.once('error', () => res(false));
  });

function missing() {
  const out = [];
  if (process.getuid?.() !== 0) out.push('root');
  for (const b of ['/usr/sbin/zfs', '/usr/sbin/sshd', '/usr/bin/ssh', '/usr/bin/ssh-keygen'])
    if (!existsSync(b)) out.push(b);
  if (spawnSync('pgrep', ['-x', 'zfs-fuse']).status !== 0) out.push('a running zfs-fuse');
  if (!existsSync(resolve('dist/slipway.js'))) out.push('dist/slipway.js (npm run build)');
  return out;
}

const handshakes = (log) =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l.includes('Accepted publickey')).length
    : 0;

export default async function bench() {
  const gaps = missing();
  if (gaps.length) {
    process.stdout.write(`replication: skipped (missing ${gaps.join(', ')})\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-repl-'));
  const tag = String(process.pid % 100000);
  const SRC = `swbs${tag}`;
  const TGT = `swbt${tag}`;
  const pools = [];
  let sshd;
  try {
    for (const p of [SRC, TGT]) {
      sh(['truncate', '-s', '512M', join(dir, `${p}.img`)]);
      sh(['zpool', 'create', '-m', join(dir, 'mnt', p), p, join(dir, `${p}.img`)]);
      pools.push(p);
    }
    sh(['zfs', 'create', `${SRC}/b`]);
    const datasets = [`${SRC}/b`];
    for (let i = 0; i < COUNT - 1; i++) {
      const ds = `${SRC}/b/d${String(i).padStart(2, '0')}`;
      sh(['zfs', 'create', ds]);
      datasets.push(ds);
    }
    // a backup tree that is never mounted (zfs-fuse's receive has no -u)
    sh(['zfs', 'create', '-o', 'mountpoint=none', `${TGT}/bk`]);
    const touch = (round) => {
      for (const ds of datasets)
        writeFileSync(join(dir, 'mnt', SRC, ds.slice(SRC.length + 1), `r${round}`), `${round}\n`);
    };

    // sshd on a port of its own
    const port = await freePort();
    for (const k of ['host', 'id'])
      sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', join(dir, k)]);
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id.pub')), { mode: 0o600 });
    const hostPub = readFileSync(join(dir, 'host.pub'), 'utf8').split(/\s+/).slice(0, 2).join(' ');
    writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n`);
    const log = join(dir, 'sshd.log');
    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'LogLevel VERBOSE',
        'MaxStartups 100:30:200',
        '',
      ].join('\n'),
    );
    const clientConfig = join(dir, 'ssh_config');
    writeFileSync(
      clientConfig,
      `Host *\n  UserKnownHostsFile ${join(dir, 'known_hosts')}\n  StrictHostKeyChecking yes\n  IdentityFile ${join(dir, 'id')}\n  IdentitiesOnly yes\n  LogLevel ERROR\n`,
    );
    mkdirSync('/run/sshd', { recursive: true });
    sshd = spawn('/usr/sbin/sshd', ['-D', '-f', join(dir, 'sshd_config'), '-E', log], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 150 && !(await canConnect(port)); i++)
      await new Promise((r) => setTimeout(r, 100));

    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        storage: {
          zfs_snapshots: [
            { dataset: `${SRC}/b`, name: 'bench', recursive: true, schedule: 'hourly' },
          ],
          zfs_replication: [
            {
              source_dataset: `${SRC}/b`,
              recursive: true,
              target: `${TGT}/bk/b`,
              ssh_config: { user: 'root', host: '127.0.0.1', port },
            },
          ],
        },
      }),
    );
    const slipway = (now) => {
      const r = spawnSync(
        process.execPath,
        [
          resolve('dist/slipway.js'),
          'snapshot',
          'run',
          config,
          '--now',
          now,
          '--json',
          '--lock',
          join(dir, 'lock'),
          '--ssh-config',
          clientConfig,
        ],
        { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } },
      );
      if (r.status !== 0)
        throw new Error(`snapshot run exited ${r.status}: ${r.stdout}${r.stderr}`);
      return JSON.parse(r.stdout);
    };

    // first run: full sends (not measured)
    touch(0);
    slipway('2026-11-25T10:00:00Z');

    // measured: one incremental run of slipway
    touch(1);
    let h0 = handshakes(log);
    let t0 = performance.now();
    const rep = slipway('2026-11-25T11:00:00Z');
    const slipMs = performance.now() - t0;
    const slipHandshakes = handshakes(log) - h0;
    const sent = rep.replications[0].datasets.filter((d) => d.action === 'incremental').length;

    // baseline: the same incremental, one ssh connection per dataset
    touch(2);
    sh(['zfs', 'snapshot', '-r', `${SRC}/b@naive`]);
    h0 = handshakes(log);
    t0 = performance.now();
    for (const ds of datasets) {
      const target = `${TGT}/bk/b${ds.slice(`${SRC}/b`.length)}`;
      const send = spawn('zfs', ['send', '-I', `${ds}@bench-20261125-1100`, `${ds}@naive`], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const recv = spawn(
        'ssh',
        [
          '-F',
          clientConfig,
          '-p',
          String(port),
          '-l',
          'root',
          '127.0.0.1',
          'zfs',
          'receive',
          target,
        ],
        { stdio: [send.stdout, 'ignore', 'inherit'] },
      );
      const codes = await Promise.all([send, recv].map((c) => new Promise((r) => c.on('exit', r))));
      if (codes.some((c) => c !== 0)) throw new Error(`naive send of ${ds} failed: ${codes}`);
    }
    const naiveMs = performance.now() - t0;
    const naiveHandshakes = handshakes(log) - h0;

    process.stdout.write(
      `replication of ${COUNT} datasets (${sent} sent incrementally) to one target:\n` +
        `  slipway snapshot run: ${slipHandshakes} SSH handshake(s) (target ≤ 2: ${slipHandshakes <= 2 ? 'met' : 'NOT met'}), ${(slipMs / 1000).toFixed(1)} s (snapshot + list + send + receive)\n` +
        `  one connection per dataset: ${naiveHandshakes} SSH handshakes, ${(naiveMs / 1000).toFixed(1)} s (send + receive only)\n` +
        `  handshakes ratio ${(slipHandshakes / naiveHandshakes).toFixed(3)}×; wall time ratio ${(slipMs / naiveMs).toFixed(2)}×\n`,
    );
  } finally {
    if (sshd && sshd.exitCode === null) {
      const done = new Promise((r) => sshd.once('exit', r));
      sshd.kill('SIGTERM');
      await done;
    }
    // zfs-fuse may call a pool busy for a moment after its last unmount
    for (const p of pools.reverse())
      for (let i = 0; i < 50 && spawnSync('zpool', ['destroy', '-f', p]).status !== 0; i++)
        await new Promise((r) => setTimeout(r, 200));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
