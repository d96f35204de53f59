import { parseArgs } from './args.js';
import { readInput } from './io.js';
import { UserError } from './errors.js';
import { formatDiagnostic, palette } from './format.js';
import type { CommandContext } from './main.js';
import { attachLocation, hasErrors, parseConfigText } from '../schema/index.js';
import { validateSnapshotPolicies } from '../validate/snapshot-policy.js';

export const help = `slipway snapshot run FILE [--now TIME] [--dry-run] [--json] [--all | --policy NAME]
                         [--lock PATH] [--wait SECONDS] [--ssh-config FILE]

Runs the scheduled snapshot policies and replications of a unified config
(FILE; - for standard input). The scheduler entries that apply installs call
it at the schedules' times; it can be run by hand at any time.

  1. snapshots: a policy (a zfs_snapshots entry with a schedule) is due when
     its schedule has fired since its newest snapshot, so a late or repeated
     run takes each snapshot once. The name comes from name_format at the
     schedule's time; the snapshot carries the config's properties and
     io.slipway:policy=NAME and io.slipway:time=TIME.
  2. replication: each target of a replication that follows a policy that just
     took a snapshot, or whose own schedule has fired since it was last sent,
     gets an incremental send from the newest snapshot both sides have (a full
     send the first time), over one ssh connection per target. A target that
     fails or has diverged is reported; the others go on.
  3. retention: only snapshots carrying the policy's io.slipway:policy are
     pruned, by keep_last and max_age; never the policy's newest, never the
     newest common snapshot of any target.

  --now TIME        the time to act at (ISO 8601; default: the clock)
  --dry-run         probe and report what would be done; change nothing
  --all             take every policy's snapshot and run every replication now
  --policy NAME     only this policy (and its replications), due or not
  --json            the report as JSON on standard output
  --lock PATH       lock file that keeps two runs apart (default /run/slipway-snapshot.lock)
  --wait SECONDS    wait this long for a running run to finish (default 0)
  --ssh-config FILE ssh client configuration for the targets (ssh -F)

Schedules and names use local time (set TZ to change it).
Exit 0 when everything succeeded, 1 when anything failed (or another run
holds the lock), 2 when the config is invalid.`;

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    ctx.stdout.write(help + '\n');
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'run')
    throw new UserError(`unknown snapshot command "${sub}"`, 'slipway snapshot run FILE');
  const { positionals, flags } = parseArgs(
    rest,
    {
      now: { value: true },
      'dry-run': {},
      json: {},
      all: {},
      policy: { value: true },
      lock: { value: true },
      wait: { value: true },
      'ssh-config': { value: true },
      help: { short: 'h' },
    },
    'snapshot run',
  );
  if (flags.help) {
    ctx.stdout.write(help + '\n');
    return 0;
  }
  let now = new Date();
  if (typeof flags.now === 'string') {
    now = new Date(flags.now);
    if (Number.isNaN(now.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(flags.now))
      throw new UserError(
        `--now ${flags.now}: not an ISO 8601 time`,
        'e.g. --now 2026-11-25T14:00:00Z',
      );
  }
  let wait = 0;
  if (typeof flags.wait === 'string') {
    wait = Number(flags.wait);
    if (!Number.isFinite(wait) || wait < 0)
      throw new UserError(`--wait ${flags.wait}: not a number of seconds`);
  }
  if (flags.all && typeof flags.policy === 'string')
    throw new UserError('--all and --policy exclude each other', 'give one of them');
  if (positionals.length > 1)
    throw new UserError(`unexpected argument "${positionals[1]}"`, 'slipway snapshot run FILE');

  const { text, name } = await readInput(positionals[0], 'snapshot run', ctx);
  const parsed = parseConfigText(text);
  const diags = parsed.ok ? validateSnapshotPolicies(parsed.config) : parsed.diagnostics;
  for (const d of diags) attachLocation(d, text);
  const p = palette(ctx.stderr);
  if (!parsed.ok || hasErrors(diags)) {
    for (const d of diags) ctx.stderr.write(formatDiagnostic(d, name, p));
    ctx.stderr.write(`${p.error('invalid')}: ${name}\n`);
    return 2;
  }
  const config = parsed.config;
  const { scheduledWork, PolicyConfigError } = await import('../snapshot/policy.js');
  try {
    const work = scheduledWork(config);
    if (typeof flags.policy === 'string' && !work.policies.some((x) => x.name === flags.policy)) {
      const { didYouMean } = await import('../schema/diagnostics.js');
      const names = work.policies.map((x) => x.name);
      const guess = didYouMean(flags.policy, names);
      throw new UserError(
        `--policy ${flags.policy}: no scheduled policy has that name`,
        guess
          ? `did you mean --policy ${guess}?`
          : names.length
            ? `policies: ${names.join(', ')}`
            : 'the config has no zfs_snapshots entry with a schedule',
      );
    }
  } catch (e) {
    if (e instanceof PolicyConfigError)
      throw new UserError(`${e.path}: ${e.message}`, undefined, 2);
    throw e;
  }

  const { acquireLock, DEFAULT_LOCK, LockBusyError } = await import('../snapshot/lock.js');
  const { runSnapshots } = await import('../snapshot/run.js');
  const { renderRunReport } = await import('../snapshot/report.js');
  const lockPath = typeof flags.lock === 'string' ? flags.lock : DEFAULT_LOCK;
  let release: () => void;
  try {
    release = await acquireLock(lockPath, wait);
  } catch (e) {
    if (e instanceof LockBusyError)
      throw new UserError(e.message, 'wait for it to finish, or pass --wait SECONDS', 1);
    const err = e as NodeJS.ErrnoException;
    throw new UserError(
      `cannot create the lock file ${lockPath}: ${err.code ?? err.message}`,
      'run as root, or choose another with --lock PATH',
      1,
    );
  }
  try {
    const report = await runSnapshots(config, {
      now,
      dryRun: flags['dry-run'] === true,
      all: flags.all === true,
      policy: typeof flags.policy === 'string' ? flags.policy : undefined,
      ssh: {
        configFile: typeof flags['ssh-config'] === 'string' ? flags['ssh-config'] : undefined,
      },
      progress: flags.json ? undefined : (line) => ctx.stderr.write(p.muted(`… ${line}`) + '\n'),
    });
    if (flags.json) ctx.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else ctx.stdout.write(renderRunReport(report, palette(ctx.stdout)));
    return report.ok ? 0 : 1;
  } finally {
    release();
  }
}
