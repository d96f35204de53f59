/**
 * Writing a file inside a context (host, zone, jail, container): the content
 * goes on the stdin of a fixed `sh -c` script that runs in that context, so a
 * container can never redirect the write through a host path or a symlink on
 * the host. Data (path, mode, owner) only travels as positional arguments; the
 * script text is the same for every file.
 *
 * The script writes a temporary file next to the target (its name starts with
 * a dot, which sudo skips in sudoers.d), sets mode and owner, then renames it
 * over the target: rename(2) replaces a symlink at the target instead of
 * following it, and a reader never sees a half-written file.
 */
import type { Probe, Step, StepContext } from '../plan/types.js';
import { sha256Utf8 } from './sha256.js';

export type StepSpec = Omit<Step, 'dependsOn' | 'destroys'> &
  Partial<Pick<Step, 'dependsOn' | 'destroys'>>;

/**
 * SHA-256 of `text` as UTF-8, in hex (sha256.ts: not node:crypto, whose loading
 * costs more than a plan's hashing). A text hashed again in this run (the same
 * authorized_keys for 200 container users) is looked up instead.
 */
export function sha256(text: string): string {
  let hex = hashed.get(text);
  if (hex === undefined) {
    hex = sha256Utf8(text);
    // Bounded: a long TUI session compiles many plans, and a hashed text may be
    // a secret (a container's environment value), not to be kept for the life
    // of the process. The repeats worth catching are within one compile.
    if (hashed.size >= HASHED_MAX) hashed.clear();
    hashed.set(text, hex);
  }
  return hex;
}

const HASHED_MAX = 256;
const hashed = new Map<string, string>();

/**
 * The scripts are one line without single quotes, so that the plan shows them
 * as one readable, copy-pasteable command. Arguments: $1 path, $2 mode, then
 * (owner variants) $3 `user[:group]`, (home variant) $4 the parent
 * directory's mode, set with the owner on the parent (~/.ssh).
 */
const TMP = 'd=$(dirname "$1") && mkdir -p "$d"';
const MKTEMP = 't=$(mktemp "$d/.slipway.XXXXXX") || exit 1';
const FINISH = 'then exit 0; fi; rm -f "$t"; exit 1';
export const WRITE_FILE_SCRIPT = `${TMP} && ${MKTEMP}; if cat > "$t" && chmod "$2" "$t" && mv -f "$t" "$1"; ${FINISH}`;
export const WRITE_OWNED_FILE_SCRIPT = `${TMP} && ${MKTEMP}; if cat > "$t" && chmod "$2" "$t" && chown "$3" "$t" && mv -f "$t" "$1"; ${FINISH}`;
export const WRITE_HOME_FILE_SCRIPT = `${TMP} && chmod "$4" "$d" && chown "$3" "$d" && ${MKTEMP}; if cat > "$t" && chmod "$2" "$t" && chown "$3" "$t" && mv -f "$t" "$1"; ${FINISH}`;

/**
 * The same, for a sudoers drop-in: the temporary file is checked with
 * `visudo -cf` before it replaces the target (sudo reads every file in
 * sudoers.d; a broken one locks everyone out of sudo). visudo missing means
 * sudo is not installed: the step fails with that message.
 */
export const WRITE_SUDOERS_SCRIPT = `command -v visudo >/dev/null || { echo "visudo not found: install sudo first" >&2; exit 1; }; ${TMP} && ${MKTEMP}; if cat > "$t" && chmod "$2" "$t" && visudo -cf "$t" >/dev/null && mv -f "$t" "$1"; ${FINISH}`;

export interface WriteFileOptions {
  id: string;
  title: string;
  context: StepContext;
  /** Absolute path in the context. */
  path: string;
  content: string;
  /** Octal mode, e.g. "0644". */
  mode: string;
  /** `user` or `user:group`; empty or undefined leaves the file owned by root. */
  owner?: string | undefined;
  /** Mode of the parent directory, set (with the owner) when given. */
  dirMode?: string | undefined;
  /** Check the file with `visudo -cf` before installing it. */
  sudoers?: boolean | undefined;
  /** Content (or parts of it) that must never be shown. */
  secrets?: string[] | undefined;
  dependsOn?: string[] | undefined;
}

export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') && !path.includes('\n') && !path.includes('\0');
}

export function fileContentProbe(path: string, content: string): Probe {
  return { kind: 'file-content', path, sha256: sha256(content) };
}

/** A step that writes `content` to `path` in the step's context. */
export function writeFileStep(o: WriteFileOptions): StepSpec {
  if (!isAbsolutePath(o.path)) throw new Error(`plan bug: not an absolute path: ${o.path}`);
  const argv = o.sudoers
    ? ['sh', '-c', WRITE_SUDOERS_SCRIPT, 'sh', o.path, o.mode]
    : o.owner && o.dirMode
      ? ['sh', '-c', WRITE_HOME_FILE_SCRIPT, 'sh', o.path, o.mode, o.owner, o.dirMode]
      : o.owner
        ? ['sh', '-c', WRITE_OWNED_FILE_SCRIPT, 'sh', o.path, o.mode, o.owner]
        : ['sh', '-c', WRITE_FILE_SCRIPT, 'sh', o.path, o.mode];
  return {
    id: o.id,
    title: o.title,
    context: o.context,
    argv,
    stdin: o.content,
    // undefined rather than a spread of a temporary object: the builder keeps a
    // step's secrets as given, undefined when there are none
    secrets: o.secrets?.length ? o.secrets : undefined,
    dependsOn: o.dependsOn ?? [],
    probe: fileContentProbe(o.path, o.content),
  };
}

/**
 * Set `KEY=value` in a file of `KEY=value` lines (illumos /etc/default/init),
 * replacing the first line for KEY (dropping later ones) or appending one.
 * $1 file, $2 key, $3 value. Pure sh (no sed/awk), so the value can never
 * become a sed expression.
 */
export const SET_KEY_SCRIPT =
  'f=$1; k=$2; v=$3; t=$(mktemp "$f.slipway.XXXXXX") || exit 1; found=; ' +
  'if [ -f "$f" ]; then while IFS= read -r line || [ -n "$line" ]; do case $line in ' +
  '"$k="*) if [ -z "$found" ]; then printf "%s=%s\\n" "$k" "$v"; found=1; fi ;; ' +
  '*) printf "%s\\n" "$line" ;; esac; done < "$f" > "$t" || { rm -f "$t"; exit 1; }; fi; ' +
  'if [ -z "$found" ]; then printf "%s=%s\\n" "$k" "$v" >> "$t"; fi; ' +
  'chmod 0644 "$t" && mv -f "$t" "$f" || { rm -f "$t"; exit 1; }';

/** Probe for SET_KEY_SCRIPT: exits 0 when the file has exactly the line `KEY=value`. */
export const HAS_KEY_SCRIPT =
  '[ -f "$1" ] || exit 1; while IFS= read -r line || [ -n "$line" ]; do [ "$line" = "$2=$3" ] && exit 0; done < "$1"; exit 1';
