/**
 * Deep checks of snapshot policies and scheduled replication: the cron
 * expression really parses (ranges, names, steps), the names `name_format`
 * produces are valid snapshot names and differ from one scheduled run to the
 * next, retention ages parse, policy names are unique, every target names a
 * host and a dataset. The shallow shape checks live in `storage.ts`; a value
 * those already reject is not reported twice. Pure.
 */
import type { Diagnostic } from '../schema/diagnostics.js';
import type { UnifiedConfig } from '../schema/config.js';
import {
  CronError,
  nextFire,
  parseSchedule,
  PRESETS,
  type CronSchedule,
} from '../snapshot/cron.js';
import { DURATION_HINT, parseDuration } from '../snapshot/duration.js';
import {
  breakDown,
  defaultNameFormat,
  formatSnapshotName,
  NameFormatError,
  snapshotNameProblem,
} from '../snapshot/names.js';
import { replicationTargets } from '../snapshot/targets.js';

/** What storage.ts already rejects as "not a schedule". */
function shallowScheduleOk(s: string): boolean {
  if (Object.hasOwn(PRESETS, s)) return true;
  const fields = s.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f) => /^[\d*/,\-A-Za-z]+$/.test(f));
}

/** Scheduled runs checked for two of them getting the same name. */
const RUNS_CHECKED = 400;
/** A fixed start, so that the check gives the same answer on every machine. */
const CHECK_FROM = new Date(Date.UTC(2030, 0, 1, 0, 0));

function collision(format: string, schedule: CronSchedule): [string, Date, Date] | undefined {
  const seen = new Map<string, Date>();
  let t: Date | undefined = CHECK_FROM;
  for (let i = 0; i < RUNS_CHECKED && t; i++) {
    t = nextFire(schedule, t, true);
    if (!t) break;
    const name = formatSnapshotName(format, breakDown(t, true));
    const before = seen.get(name);
    if (before) return [name, before, t];
    seen.set(name, t);
  }
  return undefined;
}

const iso = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

export function validateSnapshotPolicies(config: UnifiedConfig): Diagnostic[] {
  const out: Diagnostic[] = [];
  const err = (path: string, message: string, hint?: string) =>
    out.push({ severity: 'error', path, message, hint });
  const warn = (path: string, message: string, hint?: string) =>
    out.push({ severity: 'warning', path, message, hint });

  const policyNames = new Map<string, number>();
  config.storage.zfs_snapshots.forEach((s, i) => {
    const path = `storage.zfs_snapshots[${i}]`;
    if (s.schedule === undefined) {
      if (s.name_format !== undefined)
        warn(
          `${path}.name_format`,
          'name_format applies to scheduled snapshots only',
          'add a schedule, or remove name_format',
        );
      return;
    }
    const first = policyNames.get(s.name);
    if (first !== undefined)
      err(
        `${path}.name`,
        `policy name "${s.name}" is also used by storage.zfs_snapshots[${first}]`,
        'give each scheduled policy its own name: it marks the snapshots the policy may prune',
      );
    else policyNames.set(s.name, i);

    let schedule: CronSchedule | undefined;
    if (shallowScheduleOk(s.schedule)) {
      try {
        schedule = parseSchedule(s.schedule);
      } catch (e) {
        if (!(e instanceof CronError)) throw e;
        err(
          `${path}.schedule`,
          `schedule "${s.schedule}": ${e.message}`,
          'use hourly, daily, weekly, monthly or 5 cron fields, e.g. "*/15 * * * *" or "0 3 * * mon-fri"',
        );
      }
    }
    if (schedule && nextFire(schedule, CHECK_FROM, true) === undefined)
      err(`${path}.schedule`, `schedule "${s.schedule}" never fires`, 'check the day and month');

    const formatPath = s.name_format !== undefined ? `${path}.name_format` : `${path}.name`;
    const format = s.name_format ?? defaultNameFormat(s.name);
    let sample: string | undefined;
    try {
      sample = formatSnapshotName(format, breakDown(CHECK_FROM, true));
    } catch (e) {
      if (!(e instanceof NameFormatError)) throw e;
      err(formatPath, e.message, 'e.g. "auto-%Y%m%d-%H%M"');
    }
    if (sample !== undefined && !/[/@#]/.test(format)) {
      const problem = snapshotNameProblem(sample);
      if (problem)
        err(
          formatPath,
          `the names it makes are not valid snapshot names: ${problem}`,
          s.name_format !== undefined
            ? 'use letters, digits, "-", "_", ".", ":" and % fields'
            : 'rename the policy, or give a name_format',
        );
      else if (schedule && format.includes('%')) {
        const clash = collision(format, schedule);
        if (clash)
          err(
            formatPath,
            `two scheduled runs get the same name "${clash[0]}" (at ${iso(clash[1])} and ${iso(clash[2])} UTC)`,
            'add finer fields to the format, e.g. %H%M for hourly schedules',
          );
      }
    }
    const maxAge = s.retention?.max_age;
    if (maxAge !== undefined && /^\d+[smhdwy]$/.test(maxAge) && parseDuration(maxAge) === undefined)
      err(`${path}.retention.max_age`, `"${maxAge}" is not an age`, DURATION_HINT);
  });

  config.storage.zfs_replication.forEach((r, i) => {
    const path = `storage.zfs_replication[${i}]`;
    const { problems } = replicationTargets(r, path);
    for (const p of problems) {
      // "no target" and "no host" are storage.ts's; the rest are new here
      if (p.message.endsWith('names no host') || p.message === 'a replication needs a destination')
        continue;
      err(p.path, p.message, p.hint);
    }
    if (r.schedule !== undefined && shallowScheduleOk(r.schedule)) {
      try {
        parseSchedule(r.schedule);
      } catch (e) {
        if (!(e instanceof CronError)) throw e;
        err(`${path}.schedule`, `schedule "${r.schedule}": ${e.message}`, 'e.g. "0 * * * *"');
      }
    }
  });
  return out;
}
