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
import { createHash } from 'node:crypto';
import type { Probe, Step, StepContext } from '../plan/types.js';

export type StepSpec = Omit<Step, 'dependsOn' | 'destroys'> &
  Partial<Pick<Step, 'dependsOn' | 'destroys'>>;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * $1 path, $2 mode, $3 owner (empty: leave as root), $4 parent directory mode
 * (empty: leave an existing parent alone; a missing one is created 0755).
 * When $4 is given the parent gets that mode and the owner too (~/.ssh).
 */
export const WRITE_FILE_SCRIPT = [
  'set -eu',
  'p=$1; m=$2; o=$3; dm=$4',
  'd=$(dirname "$p")',
  'mkdir -p "$d"',
  'if [ -n "$dm" ]; then chmod "$dm" "$d"; if [ -n "$o" ]; then chown "$o" "$d"; fi; fi',
  't=$(mktemp "$d/.slipway.XXXXXX")',
  'trap \'rm -f "$t"\' EXIT',
  'cat > "$t"',
  'chmod "$m" "$t"',
  'if [ -n "$o" ]; then chown "$o" "$t"; fi',
  'mv -f "$t" "$p"',
  'trap - EXIT',
].join('\n');

/**
 * The same, for a sudoers drop-in: the temporary file is checked with
 * `visudo -cf` before it replaces the target (sudo reads every file in
 * sudoers.d; a broken one locks everyone out of sudo). visudo missing means
 * sudo is not installed: the step fails with that message.
 */
export const WRITE_SUDOERS_SCRIPT = [
  'set -eu',
  'p=$1; m=$2',
  'command -v visudo >/dev/null 2>&1 || { echo "visudo not found: install sudo first" >&2; exit 1; }',
  'd=$(dirname "$p")',
  'mkdir -p "$d"',
  't=$(mktemp "$d/.slipway.XXXXXX")',
  'trap \'rm -f "$t"\' EXIT',
  'cat > "$t"',
  'chmod "$m" "$t"',
  'visudo -cf "$t" >/dev/null',
  'mv -f "$t" "$p"',
  'trap - EXIT',
].join('\n');

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
    : ['sh', '-c', WRITE_FILE_SCRIPT, 'sh', o.path, o.mode, o.owner ?? '', o.dirMode ?? ''];
  return {
    id: o.id,
    title: o.title,
    context: o.context,
    argv,
    stdin: o.content,
    ...(o.secrets?.length ? { secrets: o.secrets } : {}),
    dependsOn: o.dependsOn ?? [],
    probe: fileContentProbe(o.path, o.content),
  };
}

/**
 * Set `KEY=value` in a file of `KEY=value` lines (illumos /etc/default/init),
 * replacing an existing line for KEY or appending one. $1 file, $2 key, $3 value.
 * Pure sh (no sed/awk), so the value can never become a sed expression.
 */
export const SET_KEY_SCRIPT = [
  'set -eu',
  'f=$1; k=$2; v=$3',
  't=$(mktemp "$f.slipway.XXXXXX")',
  'trap \'rm -f "$t"\' EXIT',
  'found=',
  'if [ -f "$f" ]; then',
  '  while IFS= read -r line || [ -n "$line" ]; do',
  '    case $line in',
  '      "$k="*) if [ -z "$found" ]; then printf \'%s=%s\\n\' "$k" "$v"; found=1; fi ;;',
  '      *) printf \'%s\\n\' "$line" ;;',
  '    esac',
  '  done < "$f" > "$t"',
  'fi',
  'if [ -z "$found" ]; then printf \'%s=%s\\n\' "$k" "$v" >> "$t"; fi',
  'chmod 0644 "$t"',
  'mv -f "$t" "$f"',
  'trap - EXIT',
].join('\n');

/** Probe script for SET_KEY_SCRIPT: exits 0 when the file has exactly `KEY=value`. */
export const HAS_KEY_SCRIPT = [
  'f=$1; k=$2; v=$3',
  '[ -f "$f" ] || exit 1',
  'while IFS= read -r line || [ -n "$line" ]; do',
  '  [ "$line" = "$k=$v" ] && exit 0',
  'done < "$f"',
  'exit 1',
].join('\n');
