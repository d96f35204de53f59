/**
 * Reading a running Linux container's files from the host, through its main
 * process's root (`/proc/PID/root`): what the one listing inside a container
 * (`podman exec … sh -c …`) answers about users and files, without starting a
 * process in the container. An exec costs podman a conmon, a `runc exec` and a
 * cleanup process (about 0.4 s here); this costs a few file reads.
 *
 * It answers only when it can answer exactly as the listing would; otherwise
 * `undefined`, and the caller runs the listing inside the container:
 * - the process is still the container's: its cgroup names the container's
 *   full id before and after the reads (a remote daemon's PID, or a PID
 *   reused by another process, does not);
 * - its root is the container's root file system, the one `exec` runs in:
 *   the same file (device and inode) as the runtime's mounted rootfs
 *   (inspect's GraphDriver MergedDir; without one, the listing runs);
 * - the users come from /etc/passwd only: nsswitch.conf is missing (glibc's
 *   default and musl read /etc/passwd) or names only `files`/`compat` for
 *   passwd, and no line is a NIS `+`/`-` entry; that is what `getent passwd`
 *   prints there;
 * - no part of a path is a symbolic link: through /proc/PID/root the kernel
 *   resolves an absolute link against this process's root, not the
 *   container's, so a link is not followed here at all;
 * - what a path names is a regular file or nothing (a FIFO or device is
 *   left to the listing).
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, stat } from 'node:fs/promises';

/** What the listing inside a container reports about users and files. */
export interface ContainerFileFacts {
  users: Set<string>;
  /** sha256 (hex) of each file that exists; a missing file is not a key. */
  files: Map<string, string>;
}

/** The container a process belongs to, as inspect reports it. */
export interface ContainerProcess {
  /** The container's full id (64 hex digits). */
  id: string;
  /** Its main process, in this machine's PID namespace. */
  pid: number;
  /** Its root file system as mounted on this machine (overlay's merged directory). */
  rootfs: string;
}

/** Reads a running container's users and files from the host, or answers undefined. */
export type ContainerFileReader = (
  container: ContainerProcess,
  paths: readonly string[],
) => Promise<ContainerFileFacts | undefined>;

/** Not answerable from the host: the listing runs inside instead. */
class Unsure extends Error {}

/** The reader over a proc file system mounted at `proc` (on Linux: /proc). */
export function procRootReader(proc = '/proc'): ContainerFileReader {
  return async (container, paths) => {
    if (!/^[0-9a-f]{64}$/.test(container.id) || !(container.pid > 0)) return undefined;
    const dir = `${proc}/${container.pid}`;
    const owned = async () =>
      (await readFile(`${dir}/cgroup`, 'utf8').catch(() => '')).includes(container.id);
    if (!(await owned())) return undefined;
    const root = `${dir}/root`;
    const [a, b] = await Promise.all([stat(root), stat(container.rootfs)]).catch(() => []);
    if (!a || !b || a.dev !== b.dev || a.ino !== b.ino) return undefined;
    try {
      const nss = await readRegular(root, '/etc/nsswitch.conf');
      if (nss !== null && !passwdFromFiles(nss.toString('utf8'))) return undefined;
      const passwd = await readRegular(root, '/etc/passwd');
      if (passwd === null) return undefined;
      const text = passwd.toString('utf8');
      if (/^[+-]/m.test(text)) return undefined;
      const files = new Map<string, string>();
      for (const p of paths) {
        const data = await readRegular(root, p);
        if (data !== null) files.set(p, createHash('sha256').update(data).digest('hex'));
      }
      // Read from the container it was asked about (its process did not end
      // and the PID go to another one meanwhile).
      if (!(await owned())) return undefined;
      return { users: parsePasswd(text), files };
    } catch (err) {
      if (err instanceof Unsure) return undefined;
      throw err;
    }
  };
}

/**
 * Whether nsswitch.conf takes passwd from the files only (`files`, `compat`),
 * as `getent passwd` then prints /etc/passwd. Every passwd line must say so
 * (which of several a libc takes is not asked here), and name a source.
 * No passwd line at all: glibc's default for passwd is `files`. Pure.
 */
export function passwdFromFiles(nsswitch: string): boolean {
  for (const raw of nsswitch.split('\n')) {
    const m = /^\s*passwd\s*:(.*)$/.exec(raw.replace(/#.*/, ''));
    if (!m) continue;
    const sources = m[1]!.trim().split(/\s+/).filter(Boolean);
    if (!sources.length || !sources.every((s) => s === 'files' || s === 'compat')) return false;
  }
  return true;
}

/**
 * The contents of an absolute path inside `root`, or null where no regular
 * file is there (a missing component, or a component that is a file).
 * Throws Unsure where the path crosses a symbolic link or names something
 * other than a regular file or directory.
 */
async function readRegular(root: string, path: string): Promise<Buffer | null> {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (!path.startsWith('/') || parts.includes('..')) throw new Unsure();
  let at = root;
  for (let i = 0; i < parts.length; i++) {
    at += `/${parts[i]}`;
    const st = await lstat(at).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
      throw new Unsure();
    });
    if (st === null) return null;
    if (st.isSymbolicLink()) throw new Unsure();
    const last = i === parts.length - 1;
    if (!last && !st.isDirectory()) return null;
    if (last && st.isDirectory()) return null;
    if (last && !st.isFile()) throw new Unsure();
  }
  return readFile(at).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw new Unsure();
  });
}

/** User names from passwd lines. Pure. */
export function parsePasswd(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const name = line.split(':')[0];
    if (name && !line.startsWith('#')) out.add(name);
  }
  return out;
}
