/**
 * The wizard's effects layer: the only place where the TUI touches the
 * machine. It watches the actions the screens dispatch (intents such as
 * `disks/rescan`, `review/save`, `apply/start`) and performs them — the disk
 * probe, writing the config, running the apply engine — dispatching the
 * outcome back. Screens never import this module.
 */
import type { Effects, Dispatch } from '../../screens/state/store.js';
import type { WizardState } from '../../screens/state/wizard.js';
import type { Disk } from '../disks/types.js';
import type { Plan, Platform } from '../plan/types.js';
import type { CommandRunner } from '../apply/runner.js';
import { contextLabel, redact } from '../plan/shell.js';
import { configText, containsSecrets } from './serialize.js';

export interface EffectsDeps {
  platform: Platform;
  dryRun: boolean;
  /** Whether probing this machine makes sense (not a demo, same platform). */
  probeMachine: boolean;
  loadDisks(): Promise<Disk[]>;
  writeFile(path: string, text: string, mode: number): void;
  /** The command runner apply uses (the real one, or a test's). */
  runner(): Promise<CommandRunner>;
  exit(code: number): void;
}

/** Write the config; 0600 when it holds a secret (password hashes, keys), else 0644. */
export function saveConfig(
  deps: Pick<EffectsDeps, 'writeFile'>,
  state: WizardState,
): { path: string; mode: number } {
  const mode = containsSecrets(state.config) ? 0o600 : 0o644;
  deps.writeFile(state.env.outPath, configText(state.config), mode);
  return { path: state.env.outPath, mode };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function runDry(deps: EffectsDeps, plan: Plan, dispatch: Dispatch): Promise<void> {
  const { dryRunPlan } = await import('../apply/executor.js');
  const rows = await dryRunPlan(plan, { runner: await deps.runner(), probe: deps.probeMachine });
  for (const r of rows)
    dispatch({
      type: 'apply/dry-run-step',
      row: {
        id: r.step.id,
        title: redact(r.step.title, r.step.secrets),
        context: contextLabel(r.step.context),
        would: r.would,
        command: r.command,
        refuse: r.refuse,
      },
    });
  dispatch({ type: 'apply/ended' });
}

async function runReal(
  deps: EffectsDeps,
  state: WizardState,
  plan: Plan,
  signal: AbortSignal,
  dispatch: Dispatch,
): Promise<void> {
  const { runApply } = await import('../apply/executor.js');
  const { FileJournal, ReadOnlyJournal, defaultJournalPath } = await import('../apply/journal.js');
  const { ProbeOracle } = await import('../apply/probes.js');
  const { checkStepDevices, detectMachineDisks, stepsWritingDevices } =
    await import('../apply/safety.js');
  const runner = await deps.runner();
  const journalPath = defaultJournalPath(state.env.outPath);
  const probes = new ProbeOracle(runner, plan, new ReadOnlyJournal(journalPath));
  // The disks are checked again just before writing: still free, still the ones reviewed.
  probes.prefetch();
  const writing = await stepsWritingDevices(plan, probes);
  if (writing.length) {
    const disks = await detectMachineDisks(plan.platform);
    const refusals = checkStepDevices(writing, state.config, disks);
    if (refusals.length) {
      dispatch({
        type: 'apply/ended',
        failure: {
          message: 'refused before writing anything: ' + refusals.map((r) => r.message).join('; '),
          details: refusals.map((r) => `step ${r.stepId}: ${r.hint}`),
          hint: refusals[0]!.hint,
        },
      });
      return;
    }
  }
  const journal = new FileJournal(journalPath);
  probes.journal = journal;
  try {
    const result = await runApply({
      plan,
      runner,
      journal,
      signal,
      probes,
      onEvent: (event) => dispatch({ type: 'apply/event', event }),
    });
    const f = result.failures[0];
    if (f)
      dispatch({
        type: 'apply/ended',
        journalPath,
        failure: {
          message: `${f.title}${f.context.kind === 'host' ? '' : ` (in ${contextLabel(f.context)})`} failed: ${f.exitCode === null ? (f.reason ?? 'killed') : `exit code ${f.exitCode}`}`,
          details: [`$ ${f.command}`, ...f.stderrTail.split('\n').filter(Boolean).slice(-5)],
        },
      });
    else if (result.interrupted)
      dispatch({
        type: 'apply/ended',
        journalPath,
        failure: {
          message: `interrupted; ${result.notRun.length} steps not run`,
          details: [],
          hint: `run "slipway apply ${state.env.outPath} --yes" to resume: finished steps are skipped`,
        },
      });
    else dispatch({ type: 'apply/ended', journalPath });
  } finally {
    journal.close();
  }
}

/**
 * Review opened: load the validator and plan compiler (not needed before), check
 * the config, and hand the result back.
 */
export function reviewEffect(): Effects {
  let pending: object | null = null;
  return (_action, state, dispatch) => {
    const route = state.route;
    if (route.name !== 'review' || route.check !== null || pending === route) return;
    pending = route;
    void import('./review.js').then(({ reviewCheck }) =>
      dispatch({
        type: 'review/checked',
        check: reviewCheck(state.config, state.env, state.disks.list),
        config: state.config,
      }),
    );
  };
}

export function wizardEffects(deps: EffectsDeps): Effects {
  const review = reviewEffect();
  let controller: AbortController | undefined;
  /** The apply in progress: quitting waits for it to stop its commands. */
  let running: Promise<void> | undefined;
  let exited = false;
  let loads = 0;
  return (action, state, dispatch) => {
    switch (action.type) {
      case 'disks/rescan': {
        const n = ++loads;
        deps.loadDisks().then(
          (disks) => n === loads && dispatch({ type: 'disks/loaded', disks }),
          (err: unknown) =>
            n === loads &&
            dispatch({
              type: 'disks/failed',
              message: message(err),
              hint: (err as { hint?: string }).hint,
            }),
        );
        break;
      }
      case 'review/save':
        try {
          const r = saveConfig(deps, state);
          dispatch({ type: 'review/saved', ...r });
        } catch (err) {
          dispatch({ type: 'review/save-failed', message: message(err) });
        }
        break;
      case 'apply/start': {
        if (state.route.name !== 'apply' || controller) break;
        controller = new AbortController();
        const signal = controller.signal;
        running = (async () => {
          try {
            saveConfig(deps, state);
            // Apply what was written, read back: exactly the reviewed document.
            const [{ parseConfigText }, { compilePlan }] = await Promise.all([
              import('../schema/parse.js'),
              import('../plan/index.js'),
            ]);
            const parsed = parseConfigText(configText(state.config));
            if (!parsed.ok)
              throw new Error(parsed.diagnostics[0]?.message ?? 'the config does not parse');
            const plan = compilePlan(parsed.config, deps.platform);
            if (deps.dryRun) await runDry(deps, plan, dispatch);
            else await runReal(deps, state, plan, signal, dispatch);
          } catch (err) {
            dispatch({ type: 'apply/ended', failure: { message: message(err), details: [] } });
          }
        })();
        break;
      }
      case 'quit/confirm':
        controller?.abort();
        break;
      default:
        break;
    }
    review(action, state, dispatch);
    if (state.exitCode !== null && !exited) {
      exited = true;
      const code = state.exitCode;
      controller?.abort();
      if (running) void running.finally(() => deps.exit(code));
      else deps.exit(code);
    }
  };
}
