import { parseArgs } from './args.js';
import { readInput } from './io.js';
import { UserError } from './errors.js';
import { formatDiagnostic, palette } from './format.js';
import type { Disk } from '../disks/types.js';
import { PLATFORMS, type Plan, type Platform } from '../plan/types.js';
import { defaultJobs } from '../apply/jobs.js';
import { detectMachineDisks, loadDetection } from '../apply/safety.js';
import { startContainerInspect } from '../apply/inspect.js';
import { defaultJournalPath } from '../apply/journal-path.js';
import type { CommandRunner, RunResult } from '../apply/runner.js';
import type { CommandContext } from './main.js';

export const help = `slipway apply FILE [--yes] [--dry-run] [--platform P] [--progress tty|ndjson]
                   [--journal PATH] [--jobs N]

Validate the config, plan it, and apply it: independent steps run concurrently
(at most N at once, default: twice the CPU count). Each step is first checked
("already done?" — pool exists, property set, container running, user present…)
and skipped when it is; each finished step is recorded in the journal
(default FILE.journal), so an interrupted apply resumes when run again.
What exists but differs from the config is changed in place where that is
safe (zfs set of the properties that differ, a container's limits with
update); a container created with other ports, volumes, image, environment
or command is not re-created: that step fails and says what differs.

  --yes            apply without asking (required without a terminal)
  --dry-run        show every step and whether it would run; run nothing
                   (it does read the machine: zpool/zfs/podman listings, getent)
  --platform P     illumos, freebsd or linux; must be this OS unless --dry-run
  --progress tty   one line per step (default on a terminal)
  --progress ndjson  one JSON event per line (default otherwise)
  --journal PATH   where to record finished steps
  --jobs N         run at most N steps at once

Before anything runs, every disk that a step would write to is checked: in use
(mounted, in a pool, swap…), not the disk that was reviewed, or not a disk at
all → refused. Files outside /dev (file vdevs) are not disks.

Exit 0 done, 1 a step failed, 2 invalid config, 3 refused, 130 interrupted.`;

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  try {
    return await apply(argv, ctx);
  } finally {
    // Returns only once every command it started has ended (the disk detection
    // and the containers' inspect may still run when the config is invalid,
    // prefetched probes when a step failed): its process then has nothing left
    // to wait for, and bin.ts ends it without tearing its heap down.
    const { commandsEnded } = await import('../apply/runner.js');
    await commandsEnded();
  }
}

async function apply(argv: string[], ctx: CommandContext): Promise<number> {
  const { positionals, flags } = parseArgs(
    argv,
    {
      yes: { short: 'y' },
      'dry-run': { short: 'n' },
      platform: { value: true, choices: PLATFORMS },
      progress: { value: true, choices: ['tty', 'ndjson'] },
      journal: { value: true },
      jobs: { value: true, short: 'j' },
      help: { short: 'h' },
    },
    'apply',
  );
  if (flags.help) {
    ctx.stdout.write(help + '\n');
    return 0;
  }
  const dryRun = flags['dry-run'] === true;
  const host = ctx.hostPlatform();
  const platform = (flags.platform as Platform | undefined) ?? host;
  let jobs = defaultJobs();
  if (typeof flags.jobs === 'string') {
    jobs = Number(flags.jobs);
    if (!Number.isInteger(jobs) || jobs < 1)
      throw new UserError(`--jobs ${flags.jobs}: not a positive whole number`, 'e.g. --jobs 4');
  }
  const progress =
    (flags.progress as 'tty' | 'ndjson' | undefined) ?? (ctx.stdout.isTTY ? 'tty' : 'ndjson');

  const file = positionals[0];
  if (positionals.length > 1)
    throw new UserError(`"slipway apply" takes one config file, got ${positionals.length}`);
  const { text, name } = await readInput(file, 'apply', ctx);
  const journalPath =
    typeof flags.journal === 'string'
      ? flags.journal
      : file && file !== '-'
        ? defaultJournalPath(file)
        : undefined;
  if (!journalPath && !dryRun)
    throw new UserError(
      'a config read from standard input needs --journal PATH',
      'the journal is what lets a re-run resume: slipway apply - --journal /var/log/slipway.journal',
    );

  const perr = palette(ctx.stderr);
  // On the target, disk selectors resolve against the disks found here, and
  // validation knows the pools' capacity. The detection's commands start now,
  // while the rest of apply loads, the config is validated and planned; the
  // same disks are checked before anything is written (detected again only
  // after a confirmation prompt, which may have waited long).
  const touched = peek(text);
  // Its `zpool status` answers the probes' first one too (when nothing waited in between).
  const zpoolStatus: [readonly string[], RunResult][] = [];
  const detect = platform === host && (touched.pools || touched.filesystems);
  if (detect) await loadDetection();
  const detection = detect
    ? detectMachineDisks(platform, (argv, r) => zpoolStatus.push([argv, r]))
    : undefined;
  detection?.catch(() => undefined);
  // So does the containers' one inspect per runtime (read-only; the probes take
  // its answer when it asked for what they ask).
  const inspections =
    platform === host && !dryRun
      ? [...touched.containers].map(([runtime, names]) => startContainerInspect(runtime, names))
      : [];
  // The engine's modules load alongside validation's: nothing waits for them after the plan.
  const engine = Promise.all([
    import('../apply/executor.js'),
    import('../apply/runner.js'),
    import('../apply/journal.js'),
    import('../apply/probes.js'),
    import('../apply/render.js'),
    import('../apply/safety.js'),
  ]);
  engine.catch(() => undefined);
  const [{ loadConfigText }, { compilePlan }] = await Promise.all([
    import('../validate/load.js'),
    import('../plan/index.js'),
  ]);
  const disks = detection && touched.pools ? await disksOrExplain(detection) : undefined;
  const checked = await loadConfigText(text, { platform, disks, applying: true });
  if (!checked.ok || !checked.config) {
    for (const d of checked.diagnostics) ctx.stderr.write(formatDiagnostic(d, name, perr));
    ctx.stderr.write(`${perr.error('invalid')}: ${name}: nothing applied (fix the errors above)\n`);
    return 2;
  }
  const config = checked.config;
  const plan = compilePlan(config, platform);
  const diags = [...checked.diagnostics, ...plan.diagnostics];
  for (const d of diags) ctx.stderr.write(formatDiagnostic(d, name, perr));
  if (plan.diagnostics.some((d) => d.severity === 'error')) {
    ctx.stderr.write(`${perr.error('invalid')}: ${name}: nothing applied (fix the errors above)\n`);
    return 2;
  }

  const [{ runApply, dryRunPlan }, { processRunner }, journals, { ProbeOracle }, render, safety] =
    await engine;
  const { FileJournal, ReadOnlyJournal } = journals;
  const runner = processRunner();
  if (dryRun) return dryRunReport(ctx, plan, runner, journalPath, progress, dryRunPlan);

  if (platform !== host)
    throw new UserError(
      `this machine runs ${host}; a plan for ${platform} can only be shown here`,
      `run "slipway apply ${name} --dry-run --platform ${platform}", or apply on a ${platform} machine`,
      3,
    );
  let asked = false;
  if (!flags.yes) {
    if (!ctx.stdin.isTTY || !ctx.stdout.isTTY)
      throw new UserError(
        'refusing to apply without a terminal to confirm on',
        `review "slipway plan ${name}", then run "slipway apply ${name} --yes"`,
        3,
      );
    asked = true;
    if (!(await confirm(ctx, plan.steps.length, plan.steps.filter((s) => s.destroys).length)))
      throw new UserError('not confirmed: nothing applied', undefined, 3);
  }

  // Safety: the disks of the steps that would run their own command, checked
  // before anything is written (a pool that exists and only differs in its
  // root's properties gets `zfs set`, which writes to no disk).
  const probes = new ProbeOracle(runner, plan, new ReadOnlyJournal(journalPath!));
  if (!asked) {
    for (const [argv, r] of zpoolStatus) probes.reuseEarlier(argv, r);
    for (const { argv, result } of inspections) probes.reuseEarlier(argv, result);
  }
  probes.prefetch();
  const writing = await safety.stepsWritingDevices(plan, probes);
  if (writing.length) {
    const found = await disksOrExplain(
      detection && !asked ? detection : detectMachineDisks(platform),
      true,
    );
    const refusals = safety.checkStepDevices(writing, config, found);
    if (refusals.length) {
      for (const r of refusals) {
        ctx.stderr.write(`${perr.error('refused')}: ${r.message} (step ${r.stepId})\n`);
        ctx.stderr.write(`  ${perr.muted('hint:')} ${r.hint}\n`);
      }
      ctx.stderr.write(`${perr.error('refused')}: nothing applied\n`);
      return 3;
    }
  }

  let journal: InstanceType<typeof FileJournal>;
  try {
    journal = new FileJournal(journalPath!);
  } catch (err) {
    throw new UserError(
      `cannot write the journal ${journalPath}: ${(err as Error).message}`,
      'give a writable place with --journal PATH (e.g. under /var/tmp)',
      3,
    );
  }
  probes.journal = journal;
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const pout = palette(ctx.stdout);
  const onEvent =
    progress === 'ndjson'
      ? render.ndjsonRenderer(ctx.stdout)
      : render.ttyRenderer(ctx.stdout, pout, plan.steps.length);
  try {
    const result = await runApply({
      plan,
      runner,
      journal,
      jobs,
      signal: controller.signal,
      probes,
      onEvent,
    });
    if (result.failures.length || result.interrupted) {
      const { shJoin } = await import('../plan/shell.js');
      const again = `slipway apply ${shJoin(argv)}`;
      ctx.stderr.write('\n' + render.failureReport(result, perr, again, journalPath));
      return result.interrupted ? 130 : 1;
    }
    return 0;
  } finally {
    journal.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function confirm(ctx: CommandContext, steps: number, destroying: number): Promise<boolean> {
  // Loaded only to ask (node:readline is not needed before the detection starts).
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: ctx.stdin, output: ctx.stdout });
  try {
    const warn = destroying ? `, ${destroying} of which destroy data` : '';
    const answer = await rl.question(`Apply ${steps} steps${warn}? Type "yes" to go on: `);
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

async function dryRunReport(
  ctx: CommandContext,
  plan: Plan,
  runner: CommandRunner,
  journalPath: string | undefined,
  progress: 'tty' | 'ndjson',
  dryRunPlan: typeof import('../apply/executor.js').dryRunPlan,
): Promise<number> {
  const { ReadOnlyJournal } = await import('../apply/journal.js');
  const { contextLabel, redact } = await import('../plan/shell.js');
  const { describeProbe } = await import('../plan/describe.js');
  // Probing only reads, and only on the machine it would apply to.
  const probe = plan.platform === ctx.hostPlatform();
  const rows = await dryRunPlan(plan, {
    runner,
    probe,
    ...(journalPath ? { journal: new ReadOnlyJournal(journalPath) } : {}),
  });
  if (progress === 'ndjson') {
    for (const r of rows)
      ctx.stdout.write(
        JSON.stringify({
          event: 'dry-run',
          id: r.step.id,
          title: redact(r.step.title, r.step.secrets),
          context: r.step.context,
          would: r.would,
          command: r.command,
          destroys: r.step.destroys,
          ...(r.fix !== undefined ? { fix: r.fix } : {}),
          ...(r.refuse !== undefined ? { refuse: r.refuse } : {}),
        }) + '\n',
      );
  } else {
    const p = palette(ctx.stdout);
    const width = String(rows.length).length;
    rows.forEach((r, i) => {
      const ctxl =
        r.step.context.kind === 'host' ? '' : ` ${p.muted(`[${contextLabel(r.step.context)}]`)}`;
      const mark =
        r.would === 'skip'
          ? p.muted('= already done')
          : r.refuse !== undefined
            ? p.error('✗ would fail')
            : p.accent('→ would run');
      const destroys = r.step.destroys && !r.fix && !r.refuse ? ` ${p.error('DESTROYS DATA')}` : '';
      const title = r.fix ?? redact(r.step.title, r.step.secrets);
      ctx.stdout.write(`${String(i + 1).padStart(width)}. ${mark}  ${title}${ctxl}${destroys}\n`);
      const pad = ' '.repeat(width + 2);
      if (r.refuse !== undefined) ctx.stdout.write(`${pad}${r.refuse}\n`);
      else ctx.stdout.write(`${pad}$ ${r.command}\n`);
      ctx.stdout.write(`${pad}${p.muted(`done when ${describeProbe(r.step.probe)}`)}\n`);
    });
    const run = rows.filter((r) => r.would === 'run' && r.refuse === undefined).length;
    const fail = rows.filter((r) => r.refuse !== undefined).length;
    ctx.stdout.write(
      `\ndry run: ${run} step${run === 1 ? '' : 's'} would run, ${fail ? `${fail} would fail, ` : ''}${rows.length - run - fail} already done; nothing was changed${probe ? '' : ` (not probed: this machine is not ${plan.platform})`}\n`,
    );
  }
  return 0;
}

/**
 * What apply can start on before the config is validated: whether it has
 * pools or file systems (the disks are detected), and its containers' names
 * per runtime (their inspect starts). Nothing here is trusted: an invalid
 * document is reported by validation, and a guess here only starts a
 * read-only query.
 */
function peek(text: string): {
  pools: boolean;
  filesystems: boolean;
  containers: Map<'podman' | 'docker', string[]>;
} {
  const containers = new Map<'podman' | 'docker', string[]>();
  try {
    const v = JSON.parse(text) as {
      storage?: { pools?: unknown; filesystems?: unknown };
      containers?: { containers?: unknown };
    } | null;
    const some = (x: unknown) => Array.isArray(x) && x.length > 0;
    const list = v?.containers?.containers;
    for (const c of Array.isArray(list) ? (list as unknown[]) : []) {
      const { name, runtime = 'podman' } = (c ?? {}) as { name?: unknown; runtime?: unknown };
      if (typeof name !== 'string' || (runtime !== 'podman' && runtime !== 'docker')) continue;
      let names = containers.get(runtime);
      if (!names) containers.set(runtime, (names = []));
      names.push(name);
    }
    return {
      pools: some(v?.storage?.pools),
      filesystems: some(v?.storage?.filesystems),
      containers,
    };
  } catch {
    return { pools: false, filesystems: false, containers };
  }
}

async function disksOrExplain(detection: Promise<Disk[]>, writing = false): Promise<Disk[]> {
  try {
    return await detection;
  } catch (err) {
    throw new UserError(
      `cannot detect the disks of this machine: ${(err as Error).message}`,
      writing
        ? 'nothing was applied: the disks are checked before anything is written; fix the disk probe (see the command above) and run again'
        : 'nothing was applied; fix the disk probe (see the command above) and run again',
      1,
    );
  }
}
