/**
 * What apply installs so that snapshot policies and scheduled replications keep
 * running on the installed machine: the config at /etc/slipway/config.json
 * (0600: it may hold secrets) and one scheduler entry per schedule, each calling
 * `slipway snapshot run --wait 3600 /etc/slipway/config.json` (the run takes
 * whatever is due, so entries firing together or late do no harm).
 *
 * - Linux: a systemd service + timer per schedule (`Persistent=true`, so a
 *   missed run happens at boot); where systemd is not running, a file in
 *   /etc/cron.d instead. The choice is made on the machine, by a fixed script
 *   that gets both forms as positional arguments.
 * - FreeBSD: /etc/cron.d/slipway-snapshots (system crontab format, with user).
 * - illumos: a managed block in root's crontab, between marker lines; root's
 *   other entries are kept as they are (illumos cron has no cron.d).
 *
 * Every step has a probe that compares the installed content, so re-applying
 * changes nothing. Pure.
 */
import type { UnifiedConfig } from '../schema/config.js';
import { toCronFields, toOnCalendar, type CronSchedule } from '../snapshot/cron.js';
import { PolicyConfigError, scheduledWork } from '../snapshot/policy.js';
import { writeFileStep } from '../platform/files.js';
import type { PlanBuilder } from './builder.js';
import { HOST } from './builder.js';

export const INSTALLED_CONFIG = '/etc/slipway/config.json';
export const DEFAULT_SLIPWAY_PATH = '/usr/local/bin/slipway';
export const FREEBSD_CRON_FILE = '/etc/cron.d/slipway-snapshots';
export const CRONTAB_BEGIN =
  '# BEGIN slipway snapshot schedules (managed by slipway; edits here are replaced)';
export const CRONTAB_END = '# END slipway snapshot schedules';

export interface ScheduleEntry {
  /** systemd unit / cron.d file name, e.g. slipway-snapshot-hourly. */
  unit: string;
  /** What it runs for, in words. */
  what: string;
  /** JSON path of the config entry. */
  path: string;
  schedule: CronSchedule;
  datasets: string[];
}

const sanitize = (s: string) =>
  s
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '') || 'x';

/** One entry per snapshot policy and per replication with its own schedule. */
export function scheduleEntries(config: UnifiedConfig): ScheduleEntry[] {
  const work = scheduledWork(config);
  const out: ScheduleEntry[] = [];
  const used = new Set<string>();
  const unique = (base: string) => {
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    return name;
  };
  for (const p of work.policies)
    out.push({
      unit: unique(`slipway-snapshot-${sanitize(p.name)}`),
      what: `snapshot policy ${p.name} (${p.dataset})`,
      path: p.path,
      schedule: p.schedule,
      datasets: [p.dataset],
    });
  for (const r of work.replications)
    if (r.schedule)
      out.push({
        unit: unique(`slipway-replicate-${sanitize(r.source)}`),
        what: `replication of ${r.source}`,
        path: r.path,
        schedule: r.schedule,
        datasets: [r.source],
      });
  return out;
}

export function runCommand(slipway: string): string[] {
  return [slipway, 'snapshot', 'run', '--wait', '3600', INSTALLED_CONFIG];
}

export function systemdService(e: ScheduleEntry, slipway: string): string {
  return [
    '[Unit]',
    `Description=Slipway: ${e.what}`,
    'After=local-fs.target',
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${runCommand(slipway).join(' ')}`,
  ].join('\n');
}

export function systemdTimer(e: ScheduleEntry): string {
  return [
    '[Unit]',
    `Description=Slipway schedule: ${e.what} (${e.schedule.source})`,
    '',
    '[Timer]',
    ...toOnCalendar(e.schedule).map((c) => `OnCalendar=${c}`),
    'Persistent=true',
    '',
    '[Install]',
    'WantedBy=timers.target',
  ].join('\n');
}

/** A cron.d file (system crontab format: the user is the sixth field). */
export function cronDFile(entries: readonly ScheduleEntry[], slipway: string): string {
  return [
    '# Managed by slipway: snapshot policies and replication schedules',
    'SHELL=/bin/sh',
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ...entries.flatMap((e) => [
      `# ${e.what} (${e.path}: ${e.schedule.source})`,
      `${toCronFields(e.schedule)}\troot\t${runCommand(slipway).join(' ')}`,
    ]),
  ].join('\n');
}

/** The block in root's crontab on illumos (no user field, no variables). */
export function crontabBlock(entries: readonly ScheduleEntry[], slipway: string): string {
  return entries
    .flatMap((e) => [
      `# ${e.what} (${e.path}: ${e.schedule.source})`,
      `${toCronFields(e.schedule)} ${runCommand(slipway).join(' ')}`,
    ])
    .join('\n');
}

/** $1 unit, $2 service, $3 timer, $4 cron.d file: systemd when it runs, cron otherwise. */
export const LINUX_SCHEDULE_SCRIPT = [
  'set -eu',
  'u=$1',
  'put() {',
  '  d=$(dirname "$1"); mkdir -p "$d"',
  '  t=$(mktemp "$d/.slipway.XXXXXX")',
  '  printf \'%s\\n\' "$2" > "$t"',
  '  chmod 0644 "$t"',
  '  mv -f "$t" "$1"',
  '}',
  'if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then',
  '  put "/etc/systemd/system/$u.service" "$2"',
  '  put "/etc/systemd/system/$u.timer" "$3"',
  '  systemctl daemon-reload',
  '  systemctl enable "$u.timer"',
  // restart: a changed OnCalendar takes effect (Persistent= keeps the last run)
  '  systemctl restart "$u.timer"',
  'else',
  '  put "/etc/cron.d/$u" "$4"',
  'fi',
].join('\n');

/** Probe for LINUX_SCHEDULE_SCRIPT (same arguments): exit 0 when installed as wanted. */
export const LINUX_SCHEDULE_PROBE = [
  'u=$1',
  'same() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }',
  'if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then',
  '  same "/etc/systemd/system/$u.service" "$2" && same "/etc/systemd/system/$u.timer" "$3" &&',
  '    systemctl is-enabled --quiet "$u.timer" && systemctl is-active --quiet "$u.timer"',
  'else',
  '  same "/etc/cron.d/$u" "$4"',
  'fi',
].join('\n');

/** $1 begin marker, $2 end marker, $3 block: replace the block in root's crontab, keep the rest. */
export const CRONTAB_SCRIPT = [
  'set -eu',
  'b=$1; e=$2; block=$3',
  't=$(mktemp /tmp/slipway-crontab.XXXXXX)',
  'trap \'rm -f "$t"\' EXIT',
  '{ crontab -l 2>/dev/null || true; } | {',
  '  skip=',
  '  while IFS= read -r line || [ -n "$line" ]; do',
  '    if [ "$line" = "$b" ]; then skip=1; continue; fi',
  '    if [ "$line" = "$e" ]; then skip=; continue; fi',
  '    if [ -z "$skip" ]; then printf \'%s\\n\' "$line"; fi',
  '  done',
  '} > "$t"',
  'printf \'%s\\n%s\\n%s\\n\' "$b" "$block" "$e" >> "$t"',
  'crontab "$t"',
].join('\n');

/** Probe for CRONTAB_SCRIPT (same arguments): exit 0 when root's crontab has exactly the block. */
export const CRONTAB_PROBE = [
  'b=$1; e=$2; want=$3',
  'got=$(crontab -l 2>/dev/null | {',
  '  inside=',
  '  while IFS= read -r line || [ -n "$line" ]; do',
  '    if [ "$line" = "$b" ]; then inside=1; continue; fi',
  '    if [ "$line" = "$e" ]; then break; fi',
  '    if [ -n "$inside" ]; then printf \'%s\\n\' "$line"; fi',
  '  done',
  '})',
  '[ -n "$got" ] && [ "$got" = "$want" ]',
].join('\n');

export interface ScheduleDeps {
  datasetStep: Map<string, string>;
  /** Where the slipway executable is on the installed machine. */
  slipwayPath?: string | undefined;
}

/**
 * Plan the installed config and the scheduler entries. Adds nothing when the
 * config has no scheduled policy or replication.
 */
export function compileSchedules(b: PlanBuilder, config: UnifiedConfig, deps: ScheduleDeps): void {
  let entries: ScheduleEntry[];
  try {
    entries = scheduleEntries(config);
  } catch (e) {
    if (!(e instanceof PolicyConfigError)) throw e;
    b.error(e.path, e.message, 'fix it; no schedule is installed until then');
    return;
  }
  if (entries.length === 0) return;
  const slipway = deps.slipwayPath ?? DEFAULT_SLIPWAY_PATH;
  const content = JSON.stringify(config, null, 2) + '\n';
  const configStep = b.add(
    writeFileStep({
      id: 'schedule:config',
      title: `Install the config for scheduled snapshots at ${INSTALLED_CONFIG}`,
      context: HOST,
      path: INSTALLED_CONFIG,
      content,
      mode: '0600',
      dirMode: '0700',
      // it may hold password hashes and keys: never shown
      secrets: [content],
    }),
  ).id;
  const after = (datasets: readonly string[]) => [
    configStep,
    ...datasets.flatMap((d) => {
      const id = deps.datasetStep.get(d);
      return id && b.has(id) ? [id] : [];
    }),
  ];
  switch (b.platform) {
    case 'linux':
      for (const e of entries) {
        const args = [e.unit, systemdService(e, slipway), systemdTimer(e), cronDFile([e], slipway)];
        b.add({
          id: `schedule:${e.unit}`,
          title: `Schedule ${e.what}: ${e.schedule.source} (systemd timer ${e.unit}.timer, or /etc/cron.d/${e.unit} without systemd)`,
          context: HOST,
          argv: ['sh', '-c', LINUX_SCHEDULE_SCRIPT, 'sh', ...args],
          dependsOn: after(e.datasets),
          probe: {
            kind: 'command',
            argv: ['sh', '-c', LINUX_SCHEDULE_PROBE, 'sh', ...args],
            description: `${e.unit} is installed and enabled`,
          },
        });
      }
      return;
    case 'freebsd':
      b.add({
        ...writeFileStep({
          id: 'schedule:cron.d',
          title: `Schedule ${entries.length} snapshot/replication entr${entries.length === 1 ? 'y' : 'ies'} in ${FREEBSD_CRON_FILE}`,
          context: HOST,
          path: FREEBSD_CRON_FILE,
          content: cronDFile(entries, slipway) + '\n',
          mode: '0644',
        }),
        dependsOn: after(entries.flatMap((e) => e.datasets)),
      });
      return;
    case 'illumos': {
      const block = crontabBlock(entries, slipway);
      b.add({
        id: 'schedule:crontab',
        title: `Schedule ${entries.length} snapshot/replication entr${entries.length === 1 ? 'y' : 'ies'} in root's crontab (managed block)`,
        context: HOST,
        argv: ['sh', '-c', CRONTAB_SCRIPT, 'sh', CRONTAB_BEGIN, CRONTAB_END, block],
        dependsOn: after(entries.flatMap((e) => e.datasets)),
        probe: {
          kind: 'command',
          argv: ['sh', '-c', CRONTAB_PROBE, 'sh', CRONTAB_BEGIN, CRONTAB_END, block],
          description: "root's crontab has the slipway block",
        },
      });
      return;
    }
  }
}
