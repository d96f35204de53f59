/**
 * `slipway snapshot run`: take the snapshots of the policies that are due,
 * replicate to every target, prune by retention. The order matters: pruning
 * comes last, so that it knows every target's newest common snapshot.
 */
import type { UnifiedConfig } from '../schema/config.js';
import { previousFire } from './cron.js';
import { capabilitiesFromUsage, parseUsageOptions, type ZfsCapabilities } from './capabilities.js';
import { runLocal, runPipeline, SshError, SshSession, tail, type SshOptions } from './exec.js';
import { breakDown, formatSnapshotName } from './names.js';
import {
  POLICY_PROPERTY,
  TIME_PROPERTY,
  policyCovers,
  scheduledWork,
  sentProperty,
  type ReplicationJob,
  type SnapshotPolicy,
} from './policy.js';
import {
  chooseForm,
  planDataset,
  receiveArgv,
  sendArgv,
  targetDatasetFor,
  type ReplicationForm,
} from './replication.js';
import { selectRetention, type ListedSnapshot } from './retention.js';
import type { ResolvedTarget } from './targets.js';

export interface RunOptions {
  now: Date;
  dryRun: boolean;
  /** Every policy and replication, due or not. */
  all?: boolean | undefined;
  /** Only this policy (and the replications that follow it), due or not. */
  policy?: string | undefined;
  ssh?: SshOptions | undefined;
  /** Progress lines while running. */
  progress?: ((line: string) => void) | undefined;
}

export interface SnapshotReport {
  policy: string;
  dataset: string;
  status: 'created' | 'would-create' | 'not-due' | 'failed';
  snapshot?: string | undefined;
  /** The time the name was made from (the schedule's slot, or now when forced). */
  time?: string | undefined;
  error?: string | undefined;
  pruned: { snapshot: string; reason: string }[];
  kept: { snapshot: string; reason: string }[];
  /** Why pruning did not run for this dataset. */
  pruneHeld?: string | undefined;
  pruneErrors: string[];
}

export interface TargetDatasetReport {
  source: string;
  target: string;
  action:
    'full' | 'incremental' | 'rollback' | 'up-to-date' | 'nothing-to-send' | 'diverged' | 'failed';
  /** Dry run: what would have been done. */
  planned?: boolean | undefined;
  from?: string | undefined;
  to?: string | undefined;
  error?: string | undefined;
}

export interface TargetReport {
  replication: string;
  source: string;
  target: string;
  status: 'ok' | 'not-due' | 'diverged' | 'failed' | 'unreachable';
  notes: string[];
  datasets: TargetDatasetReport[];
  error?: string | undefined;
}

export interface RunReport {
  now: string;
  dryRun: boolean;
  ok: boolean;
  snapshots: SnapshotReport[];
  replications: TargetReport[];
}

interface Listed extends ListedSnapshot {
  dataset: string;
  props: Map<string, string>;
}

const isSet = (v: string | undefined) => v !== undefined && v !== '-' && v !== '';

function parseTime(v: string | undefined): Date | undefined {
  if (!isSet(v)) return undefined;
  const d = new Date(v!);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Snapshots of `dataset` (and its descendants when `recursive`), oldest first per dataset. */
async function listSnapshots(
  dataset: string,
  recursive: boolean,
  extra: readonly string[],
): Promise<Map<string, Listed[]> | { error: string }> {
  const props = [POLICY_PROPERTY, TIME_PROPERTY, ...extra];
  const r = await runLocal([
    'zfs',
    'list',
    '-H',
    '-t',
    'snapshot',
    '-o',
    ['name', ...props].join(','),
    ...(recursive ? ['-r'] : ['-d', '1']),
    dataset,
  ]);
  if (r.exitCode !== 0) return { error: tail(r.stderr) || `zfs list exited ${r.exitCode}` };
  const out = new Map<string, Listed[]>();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const cols = line.split('\t');
    const full = cols[0]!;
    const at = full.indexOf('@');
    if (at < 0) continue;
    const ds = full.slice(0, at);
    const map = new Map<string, string>();
    props.forEach((p, i) => {
      const v = cols[i + 1];
      if (isSet(v)) map.set(p, v!);
    });
    const item: Listed = {
      dataset: ds,
      name: full.slice(at + 1),
      policy: map.get(POLICY_PROPERTY),
      time: parseTime(map.get(TIME_PROPERTY)),
      props: map,
    };
    const list = out.get(ds) ?? [];
    list.push(item);
    out.set(ds, list);
  }
  if (!out.has(dataset)) out.set(dataset, []);
  return out;
}

/** The newest snapshot of `list` carrying property `prop`, and the time it holds. */
function newestWith(list: readonly Listed[], prop: string): Listed | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.props.has(prop)) return list[i];
  return undefined;
}

let localCaps: Promise<ZfsCapabilities> | undefined;

/** What this machine's `zfs send`/`zfs receive` understand (their usage text). */
function sourceCapabilities(): Promise<ZfsCapabilities> {
  localCaps ??= (async () => {
    const [s, r] = await Promise.all([runLocal(['zfs', 'send']), runLocal(['zfs', 'receive'])]);
    return capabilitiesFromUsage(s.stdout + s.stderr, r.stdout + r.stderr);
  })();
  return localCaps;
}

/**
 * Run on the target in one session: the usage of `zfs receive` (what it
 * supports), then the listing of the receiving tree. $1: the target dataset.
 */
export const PROBE_SCRIPT = [
  'zfs receive 2>&1',
  "echo '@@slipway-list'",
  'zfs list -H -o name -t filesystem,volume,snapshot -r "$1" 2>&1',
  'echo "@@slipway-exit $?"',
].join('\n');

/** $1: the received dataset; the rest: the `zfs receive` argv. Unmounts what the receive mounted. */
export const RECEIVE_UNMOUNT_SCRIPT = [
  't=$1',
  'shift',
  '"$@" || exit $?',
  'zfs unmount "$t" >/dev/null 2>&1 || true',
  'exit 0',
].join('\n');

/** Split the probe's output; undefined when it is not what PROBE_SCRIPT prints. */
export function parseProbe(
  out: string,
): { usage: string; listing: { exitCode: number; stdout: string } } | undefined {
  const a = out.indexOf('@@slipway-list\n');
  const m = /@@slipway-exit (\d+)\s*$/.exec(out);
  if (a < 0 || !m) return undefined;
  return {
    usage: out.slice(0, a),
    listing: { exitCode: Number(m[1]), stdout: out.slice(a + '@@slipway-list\n'.length, m.index) },
  };
}

interface Protection {
  /** dataset → snapshot name → why it must stay. */
  keep: Map<string, Map<string, string>>;
  /** dataset → why pruning must not run (a base that cannot be known). */
  hold: Map<string, string>;
  /** `${jobIndex}:${targetKey}` → datasets whose base this run established. */
  probed: Set<string>;
}

function protect(p: Protection, dataset: string, snapshot: string, reason: string) {
  const m = p.keep.get(dataset) ?? new Map<string, string>();
  if (!m.has(snapshot)) m.set(snapshot, reason);
  p.keep.set(dataset, m);
}

async function replicateTarget(
  job: ReplicationJob,
  target: ResolvedTarget,
  datasets: readonly string[],
  source: Map<string, Listed[]>,
  opts: RunOptions,
  prot: Protection,
): Promise<TargetReport> {
  const report: TargetReport = {
    replication: job.path,
    source: job.source,
    target: target.label,
    status: 'ok',
    notes: [],
    datasets: [],
  };
  const unknownBases = (why: string) => {
    for (const ds of datasets) {
      const last = newestWith(source.get(ds) ?? [], sentProperty(target.key));
      if (last) protect(prot, ds, last.name, `last sent to ${target.label}, which ${why}`);
      else
        prot.hold.set(
          ds,
          `${target.label} ${why} and nothing is recorded as sent to it: its common base is unknown`,
        );
    }
  };
  const session = new SshSession(target, opts.ssh);
  try {
    try {
      await session.open();
    } catch (e) {
      if (!(e instanceof SshError)) throw e;
      report.status = 'unreachable';
      report.error = e.message;
      unknownBases('could not be reached');
      return report;
    }
    // One session: the receive usage (what the target supports) and one listing of the target.
    const [probe, srcCaps] = await Promise.all([
      session.run(['sh', '-c', PROBE_SCRIPT, 'sh', target.dataset]),
      sourceCapabilities(),
    ]);
    if (probe.exitCode === 255) {
      report.status = 'unreachable';
      report.error = tail(probe.stderr);
      unknownBases('could not be reached');
      return report;
    }
    const parsed = parseProbe(probe.stdout);
    if (!parsed) {
      report.status = 'failed';
      report.error = `unexpected answer from ${target.host}: ${tail(probe.stdout + probe.stderr)}`;
      unknownBases('could not be listed');
      return report;
    }
    const { usage, listing } = parsed;
    if (listing.exitCode !== 0 && !/does not exist/.test(listing.stdout)) {
      report.status = 'failed';
      report.error = `cannot list ${target.dataset}: ${tail(listing.stdout)}`;
      unknownBases('could not be listed');
      return report;
    }
    const exists = new Set<string>();
    const tsnaps = new Map<string, string[]>();
    for (const line of listing.exitCode === 0 ? listing.stdout.split('\n') : []) {
      if (!line) continue;
      const at = line.indexOf('@');
      if (at < 0) exists.add(line);
      else {
        const ds = line.slice(0, at);
        const l = tsnaps.get(ds) ?? [];
        l.push(line.slice(at + 1));
        tsnaps.set(ds, l);
      }
    }
    const targetCaps: ZfsCapabilities = {
      send: new Set(),
      receive: parseUsageOptions(usage, 'receive'),
    };
    const form: ReplicationForm = chooseForm(srcCaps, targetCaps, job.exclude);
    report.notes.push(...form.notes);
    prot.probed.add(`${job.index}:${target.key}`);
    for (const ds of datasets) {
      const tds = targetDatasetFor(ds, job.source, target.dataset);
      const srcNames = (source.get(ds) ?? []).map((s) => s.name);
      const action = planDataset(
        srcNames,
        exists.has(tds),
        tsnaps.get(tds) ?? [],
        job.overwriteDiverged,
      );
      const entry: TargetDatasetReport = { source: ds, target: tds, action: 'failed' };
      report.datasets.push(entry);
      const why = `newest common base of ${target.label}`;
      switch (action.kind) {
        case 'nothing-to-send':
          entry.action = 'nothing-to-send';
          entry.error = action.reason;
          continue;
        case 'up-to-date':
          entry.action = 'up-to-date';
          entry.to = action.base;
          protect(prot, ds, action.base, why);
          continue;
        case 'diverged':
          entry.action = 'diverged';
          entry.from = action.base;
          entry.error = action.reason;
          if (action.base) protect(prot, ds, action.base, why);
          continue;
        case 'rollback':
        case 'full':
        case 'incremental':
          break;
      }
      // the base stays the newest common snapshot unless the send succeeds
      const keepBase = () => {
        if (action.kind !== 'full') protect(prot, ds, action.base, why);
      };
      entry.action = action.kind;
      entry.from = action.kind === 'full' ? undefined : action.base;
      entry.to = action.kind === 'rollback' ? action.base : action.snapshot;
      if (opts.dryRun) {
        entry.planned = true;
        keepBase();
        continue;
      }
      if (action.kind !== 'full' && action.rollback.length > 0) {
        const rb = await session.run(['zfs', 'rollback', '-r', `${tds}@${action.base}`]);
        if (rb.exitCode !== 0) {
          entry.action = 'failed';
          entry.error = `rollback of ${tds} to ${action.base}: ${tail(rb.stderr)}`;
          keepBase();
          continue;
        }
      }
      if (action.kind === 'rollback') {
        keepBase();
        continue;
      }
      opts.progress?.(`send ${ds}@${action.snapshot} → ${target.label}`);
      const recv = receiveArgv(tds, action, form, job.exclude);
      const piped = await runPipeline(
        sendArgv(ds, action, form),
        session.remoteArgv(
          // without -u: unmount after the receive, in the same session
          form.noMount ? recv : ['sh', '-c', RECEIVE_UNMOUNT_SCRIPT, 'sh', tds, ...recv],
        ),
      );
      if (!piped.ok) {
        if (/has been modified/.test(piped.error ?? '')) {
          entry.action = 'diverged';
          entry.error = `${tds} was changed on the target since its newest snapshot (${tail(piped.error ?? '')})`;
        } else {
          entry.action = 'failed';
          entry.error = piped.error;
        }
        keepBase();
        continue;
      }
      protect(prot, ds, action.snapshot, why);
      const mark = await runLocal([
        'zfs',
        'set',
        `${sentProperty(target.key)}=${opts.now.toISOString()}`,
        `${ds}@${action.snapshot}`,
      ]);
      if (mark.exitCode !== 0)
        report.notes.push(
          `could not record what was sent on ${ds}@${action.snapshot}: ${tail(mark.stderr)}`,
        );
    }
    if (report.datasets.some((d) => d.action === 'failed')) report.status = 'failed';
    else if (report.datasets.some((d) => d.action === 'diverged')) report.status = 'diverged';
    return report;
  } finally {
    await session.close();
  }
}

/** Datasets a replication covers, parents first. */
async function replicationDatasets(job: ReplicationJob): Promise<string[] | { error: string }> {
  if (!job.recursive) return [job.source];
  const r = await runLocal([
    'zfs',
    'list',
    '-H',
    '-o',
    'name',
    '-t',
    'filesystem,volume',
    '-r',
    job.source,
  ]);
  if (r.exitCode !== 0) return { error: tail(r.stderr) };
  return r.stdout.split('\n').filter(Boolean);
}

const jobCoversPolicy = (job: ReplicationJob, p: SnapshotPolicy) =>
  policyCovers(p, job.source) ||
  (job.recursive && (p.dataset === job.source || p.dataset.startsWith(`${job.source}/`)));

export async function runSnapshots(config: UnifiedConfig, opts: RunOptions): Promise<RunReport> {
  const work = scheduledWork(config);
  const now = opts.now;
  const report: RunReport = {
    now: now.toISOString(),
    dryRun: opts.dryRun,
    ok: true,
    snapshots: [],
    replications: [],
  };
  const forced = (p: SnapshotPolicy) => opts.all === true || opts.policy === p.name;
  const policies = work.policies.filter((p) => opts.policy === undefined || p.name === opts.policy);
  const took = new Set<string>();

  // 1. snapshots
  for (const p of policies) {
    const rep: SnapshotReport = {
      policy: p.name,
      dataset: p.dataset,
      status: 'not-due',
      pruned: [],
      kept: [],
      pruneErrors: [],
    };
    report.snapshots.push(rep);
    const listed = await listSnapshots(p.dataset, false, []);
    if ('error' in listed) {
      rep.status = 'failed';
      rep.error = listed.error;
      continue;
    }
    const mine = (listed.get(p.dataset) ?? []).filter((s) => s.policy === p.name);
    const newest = mine.reduce<Date | undefined>(
      (acc, s) => (s.time && (!acc || s.time > acc) ? s.time : acc),
      undefined,
    );
    let time: Date;
    if (forced(p)) time = new Date(Math.floor(now.getTime() / 1000) * 1000);
    else {
      const slot = previousFire(p.schedule, now);
      if (!slot || (newest && newest >= slot)) {
        rep.time = slot?.toISOString();
        continue;
      }
      time = slot;
    }
    rep.time = time.toISOString();
    let name: string;
    try {
      name = formatSnapshotName(p.format, breakDown(time));
    } catch (e) {
      rep.status = 'failed';
      rep.error = `${p.path}.name_format: ${(e as Error).message}`;
      continue;
    }
    rep.snapshot = `${p.dataset}@${name}`;
    if ((listed.get(p.dataset) ?? []).some((s) => s.name === name)) {
      rep.status = 'failed';
      rep.error = `${rep.snapshot} already exists (name_format gives the same name twice)`;
      continue;
    }
    const argv = [
      'zfs',
      'snapshot',
      ...(p.recursive ? ['-r'] : []),
      ...Object.entries(p.properties)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .flatMap(([k, v]) => ['-o', `${k}=${v}`]),
      '-o',
      `${POLICY_PROPERTY}=${p.name}`,
      '-o',
      `${TIME_PROPERTY}=${rep.time}`,
      rep.snapshot,
    ];
    if (opts.dryRun) {
      rep.status = 'would-create';
      took.add(p.name);
      continue;
    }
    opts.progress?.(`snapshot ${rep.snapshot}`);
    const r = await runLocal(argv);
    if (r.exitCode !== 0) {
      rep.status = 'failed';
      rep.error = tail(r.stderr) || `zfs snapshot exited ${r.exitCode}`;
      continue;
    }
    rep.status = 'created';
    took.add(p.name);
  }

  // 2. replication
  const prot: Protection = { keep: new Map(), hold: new Map(), probed: new Set() };
  const jobs = work.replications.filter(
    (j) => opts.policy === undefined || j.policies.includes(opts.policy),
  );
  for (const job of jobs) {
    const followedTook = job.policies.some((n) => took.has(n));
    const ds = await replicationDatasets(job);
    const source =
      'error' in ds
        ? ds
        : await listSnapshots(
            job.source,
            job.recursive,
            job.targets.map((t) => sentProperty(t.key)),
          );
    const slot = job.schedule ? previousFire(job.schedule, now) : undefined;
    const perTarget = job.targets.map(async (target): Promise<TargetReport> => {
      if ('error' in ds || 'error' in source) {
        return {
          replication: job.path,
          source: job.source,
          target: target.label,
          status: 'failed',
          notes: [],
          datasets: [],
          error: `cannot list ${job.source}: ${'error' in ds ? ds.error : (source as { error: string }).error}`,
        };
      }
      let due = opts.all === true || opts.policy !== undefined || followedTook;
      if (!due && slot) {
        const last = newestWith(source.get(job.source) ?? [], sentProperty(target.key));
        const sentAt = parseTime(last?.props.get(sentProperty(target.key)));
        due = !sentAt || sentAt < slot;
      }
      if (!due) {
        return {
          replication: job.path,
          source: job.source,
          target: target.label,
          status: 'not-due',
          notes: [],
          datasets: [],
        };
      }
      opts.progress?.(`replicate ${job.source} → ${target.label}`);
      return replicateTarget(job, target, ds, source, opts, prot);
    });
    // targets are independent: one failing never stops the others
    report.replications.push(...(await Promise.all(perTarget)));
  }

  // 3. retention
  for (const rep of report.snapshots) {
    const p = policies.find((x) => x.name === rep.policy)!;
    if (!p.retention.keepLast && p.retention.maxAgeSeconds === undefined) continue;
    if (rep.status === 'failed' && rep.error && !rep.snapshot) continue;
    const related = work.replications.filter((j) => jobCoversPolicy(j, p));
    const extra = related.flatMap((j) => j.targets.map((t) => sentProperty(t.key)));
    const listed = await listSnapshots(p.dataset, p.recursive, extra);
    if ('error' in listed) {
      rep.pruneErrors.push(listed.error);
      continue;
    }
    const keep = new Map<string, string>();
    let held: string | undefined;
    for (const [ds, list] of listed) {
      for (const [name, why] of prot.keep.get(ds) ?? []) keep.set(name, why);
      held ??= prot.hold.get(ds);
      // targets not probed in this run: what was last recorded as sent to them
      for (const j of related)
        for (const t of j.targets) {
          if (prot.probed.has(`${j.index}:${t.key}`)) continue;
          const last = newestWith(list, sentProperty(t.key));
          if (last && !keep.has(last.name)) keep.set(last.name, `last sent to ${t.label}`);
        }
    }
    if (held) {
      rep.pruneHeld = held;
      continue;
    }
    const decisions = selectRetention(listed.get(p.dataset) ?? [], p.name, p.retention, now, keep);
    for (const d of decisions) {
      const snap = `${p.dataset}@${d.name}`;
      if (d.action === 'keep') {
        rep.kept.push({ snapshot: snap, reason: d.reason });
        continue;
      }
      if (opts.dryRun) {
        rep.pruned.push({ snapshot: snap, reason: `${d.reason} (dry run)` });
        continue;
      }
      opts.progress?.(`destroy ${snap}`);
      const r = await runLocal(['zfs', 'destroy', ...(p.recursive ? ['-r'] : []), snap]);
      if (r.exitCode === 0) rep.pruned.push({ snapshot: snap, reason: d.reason });
      else rep.pruneErrors.push(`${snap}: ${tail(r.stderr)}`);
    }
  }

  report.ok =
    report.snapshots.every((s) => s.status !== 'failed' && s.pruneErrors.length === 0) &&
    report.replications.every((r) => r.status === 'ok' || r.status === 'not-due');
  return report;
}
