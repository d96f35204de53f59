import { beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { passwdFromFiles, procRootReader } from '../../src/apply/container-root.js';
import { tempDir } from '../helpers/temp.js';

const ID = 'e14bebf12fce3b3079bbec09b0f06f52e3f178772319a85e3450f32a480a25f2';
const PID = 4242;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A proc tree with one container process: its cgroup and its root's files. */
let proc: string;
let root: string;
function put(path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}
beforeEach(() => {
  proc = tempDir('slipway-proc-');
  root = join(proc, String(PID), 'root');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(proc, String(PID), 'cgroup'), `0::/libpod_parent/libpod-${ID}\n`);
  put(
    '/etc/passwd',
    'root:x:0:0:root:/root:/bin/sh\n# a comment\nalice:x:1000:1000::/home/alice:/bin/sh\n',
  );
  put('/home/alice/.ssh/authorized_keys', 'ssh-ed25519 AAAA alice\n');
});

describe('reading a container from the host (/proc/PID/root)', () => {
  const read = (paths: string[], pid = PID, id = ID, rootfs = root) =>
    procRootReader(proc)({ id, pid, rootfs }, paths);

  it('answers users and the hashes of the files that exist, as the listing inside would', async () => {
    const facts = await read([
      '/home/alice/.ssh/authorized_keys',
      '/home/bob/.ssh/authorized_keys',
      '/home/alice/.ssh',
    ]);
    expect(facts).toBeDefined();
    expect([...facts!.users].sort()).toEqual(['alice', 'root']);
    // a missing file and a directory are absent, as sha256sum fails on both
    expect(facts!.files).toEqual(
      new Map([['/home/alice/.ssh/authorized_keys', sha('ssh-ed25519 AAAA alice\n')]]),
    );
  });

  it('takes a path through a file as absent (ENOTDIR inside)', async () => {
    put('/var/lib/slipway', 'a file, not a directory');
    const facts = await read(['/var/lib/slipway/scripts/x']);
    expect(facts?.files.size).toBe(0);
  });

  it('does not answer for a process whose cgroup does not name the container', async () => {
    writeFileSync(join(proc, String(PID), 'cgroup'), '0::/user.slice/session-1.scope\n');
    expect(await read(['/home/alice/.ssh/authorized_keys'])).toBeUndefined();
    // nor for a process that is gone, a malformed id or no pid
    expect(await read([], 999)).toBeUndefined();
    expect(await read([], PID, 'web')).toBeUndefined();
    expect(await read([], 0)).toBeUndefined();
  });

  it('does not answer when the process’s root is not the container’s root file system', async () => {
    const elsewhere = tempDir('slipway-rootfs-');
    expect(await read([], PID, ID, elsewhere)).toBeUndefined();
    expect(await read([], PID, ID, join(elsewhere, 'missing'))).toBeUndefined();
    expect(await read([], PID, ID, root)).toBeDefined();
  });

  it('does not follow symbolic links (the kernel would resolve them against the host root)', async () => {
    symlinkSync('/etc/hostname', join(root, 'home/alice/.ssh/link'));
    expect(await read(['/home/alice/.ssh/link'])).toBeUndefined();
    // a link in a directory part as well
    mkdirSync(join(root, 'srv'));
    symlinkSync('/home', join(root, 'srv/home'));
    expect(await read(['/srv/home/alice/.ssh/authorized_keys'])).toBeUndefined();
    // an /etc/passwd that is a link
    rmSync(join(root, 'etc/passwd'));
    symlinkSync('/usr/lib/passwd', join(root, 'etc/passwd'));
    expect(await read([])).toBeUndefined();
  });

  it('leaves relative paths and .. to the listing inside', async () => {
    expect(await read(['home/alice/.ssh/authorized_keys'])).toBeUndefined();
    expect(await read(['/home/../etc/passwd'])).toBeUndefined();
  });

  it('answers users only where getent would print /etc/passwd', async () => {
    put('/etc/nsswitch.conf', 'passwd: files\ngroup: files\n');
    expect(await read([])).toBeDefined();
    put('/etc/nsswitch.conf', 'passwd: files ldap\n');
    expect(await read([])).toBeUndefined();
    put('/etc/nsswitch.conf', 'passwd: compat\n');
    expect(await read([])).toBeDefined();
    put('/etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n+@netgroup\n');
    expect(await read([])).toBeUndefined();
    // no /etc/passwd at all: the listing decides
    rmSync(join(root, 'etc/passwd'));
    expect(await read([])).toBeUndefined();
  });
});

describe('passwdFromFiles', () => {
  it('accepts files and compat only, on every passwd line; comments ignored', () => {
    expect(passwdFromFiles('')).toBe(true);
    expect(passwdFromFiles('group: files\n')).toBe(true);
    expect(passwdFromFiles('passwd:         files\n')).toBe(true);
    expect(passwdFromFiles('passwd: files # ldap\n')).toBe(true);
    expect(passwdFromFiles('passwd: files systemd\n')).toBe(false);
    expect(passwdFromFiles('passwd: sss files\n')).toBe(false);
    expect(passwdFromFiles('passwd: files [NOTFOUND=return] nis\n')).toBe(false);
    expect(passwdFromFiles('passwd: ldap\npasswd: files\n')).toBe(false);
    expect(passwdFromFiles('passwd:\n')).toBe(false);
    expect(passwdFromFiles('passwd: files\npasswd: ldap\n')).toBe(false);
  });
});
