/**
 * Replication of one dataset to one target: what to send (nothing, a full
 * stream, or an incremental one from the newest common snapshot), and the
 * exact `zfs send` / `zfs receive` argv for what each side supports. Pure.
 */
import type { ZfsCapabilities } from './capabilities.js';

export type DatasetAction =
  | { kind: 'nothing-to-send'; reason: string }
  | { kind: 'up-to-date'; base: string }
  | { kind: 'full'; snapshot: string; force: boolean }
  | {
      kind: 'incremental';
      base: string;
      snapshot: string;
      /** Target snapshots newer than the base, destroyed first (overwrite_diverged). */
      rollback: string[];
      force: boolean;
    }
  /** overwrite_diverged, nothing new to send: the target's newer snapshots are destroyed. */
  | { kind: 'rollback'; base: string; rollback: string[] }
  | { kind: 'diverged'; base?: string | undefined; newer: string[]; reason: string };

/**
 * `sourceSnapshots` / `targetSnapshots`: names after `@`, oldest first;
 * `targetExists`: the receiving dataset exists (it may have no snapshots).
 */
export function planDataset(
  sourceSnapshots: readonly string[],
  targetExists: boolean,
  targetSnapshots: readonly string[],
  overwriteDiverged: boolean,
): DatasetAction {
  const newest = sourceSnapshots[sourceSnapshots.length - 1];
  if (newest === undefined)
    return { kind: 'nothing-to-send', reason: 'the source has no snapshots' };
  if (!targetExists) return { kind: 'full', snapshot: newest, force: false };
  const onTarget = new Set(targetSnapshots);
  let base: string | undefined;
  for (let i = sourceSnapshots.length - 1; i >= 0; i--)
    if (onTarget.has(sourceSnapshots[i]!)) {
      base = sourceSnapshots[i]!;
      break;
    }
  if (base === undefined) {
    if (targetSnapshots.length === 0)
      return overwriteDiverged
        ? { kind: 'full', snapshot: newest, force: true }
        : {
            kind: 'diverged',
            newer: [],
            reason: 'the target dataset exists but has no snapshots',
          };
    return {
      kind: 'diverged',
      newer: [...targetSnapshots],
      reason: 'the target has no snapshot in common with the source (destroy it to send it anew)',
    };
  }
  const newer = targetSnapshots.slice(targetSnapshots.indexOf(base) + 1);
  if (newer.length > 0 && !overwriteDiverged)
    return {
      kind: 'diverged',
      base,
      newer,
      reason: `the target has snapshots newer than the common ${base}: ${newer.join(', ')}`,
    };
  if (base === newest && newer.length === 0) return { kind: 'up-to-date', base };
  if (base === newest) return { kind: 'rollback', base, rollback: newer };
  return {
    kind: 'incremental',
    base,
    snapshot: newest,
    rollback: newer,
    force: overwriteDiverged,
  };
}

export interface ReplicationForm {
  /** `zfs send -p`: the stream carries the dataset's properties. */
  sendProperties: boolean;
  /** `zfs send -I` (all intermediate snapshots) or only `-i` (from base to newest). */
  incrementalFlag: '-I' | '-i';
  /** `zfs receive -x P` for each excluded property. */
  excludeFlags: boolean;
  /** `zfs receive -u`; without it the received file system is unmounted after the receive. */
  noMount: boolean;
  /** What the chosen form means for the config, in words. */
  notes: string[];
}

/**
 * The form that honours the config with what both sides support. Properties
 * travel (`-p`) only when the receiver can drop the excluded ones (`-x`) or
 * none are excluded: without `-x`, a stream without properties is the only way
 * to make sure an excluded property never reaches the target.
 */
export function chooseForm(
  source: ZfsCapabilities,
  target: ZfsCapabilities,
  excluded: readonly string[],
): ReplicationForm {
  const notes: string[] = [];
  const canExclude = target.receive.has('x');
  const sendProperties = source.send.has('p') && (excluded.length === 0 || canExclude);
  if (!source.send.has('p')) notes.push('the source zfs send has no -p: properties are not sent');
  else if (!sendProperties)
    notes.push(
      `the target zfs receive has no -x: properties are not sent, so ${excluded.join(', ')} never reach the target`,
    );
  const incrementalFlag = source.send.has('I') || !source.send.has('i') ? '-I' : '-i';
  if (incrementalFlag === '-i')
    notes.push('the source zfs send has no -I: intermediate snapshots are not sent');
  const noMount = target.receive.has('u');
  if (!noMount)
    notes.push('the target zfs receive has no -u: received file systems are unmounted afterwards');
  return {
    sendProperties,
    incrementalFlag,
    excludeFlags: canExclude && excluded.length > 0,
    noMount,
    notes,
  };
}

/** `zfs send` argv for a full or incremental action. */
export function sendArgv(
  dataset: string,
  action: Extract<DatasetAction, { kind: 'full' | 'incremental' }>,
  form: ReplicationForm,
): string[] {
  return [
    'zfs',
    'send',
    ...(form.sendProperties ? ['-p'] : []),
    ...(action.kind === 'incremental' ? [form.incrementalFlag, `${dataset}@${action.base}`] : []),
    `${dataset}@${action.snapshot}`,
  ];
}

/** `zfs receive` argv on the target. */
export function receiveArgv(
  targetDataset: string,
  action: Extract<DatasetAction, { kind: 'full' | 'incremental' }>,
  form: ReplicationForm,
  excluded: readonly string[],
): string[] {
  return [
    'zfs',
    'receive',
    ...(form.noMount ? ['-u'] : []),
    ...(action.force ? ['-F'] : []),
    ...(form.excludeFlags ? excluded.flatMap((p) => ['-x', p]) : []),
    targetDataset,
  ];
}

/** The receiving dataset for a source dataset under a replicated tree. */
export function targetDatasetFor(source: string, sourceRoot: string, targetRoot: string): string {
  if (source === sourceRoot) return targetRoot;
  return targetRoot + source.slice(sourceRoot.length);
}
