/**
 * `slipway` with no command: the interactive installer. Flags and the prefill
 * config are checked, and the terminal too, before anything is mounted; Ink,
 * React and the screens are imported only then, so that the headless commands
 * never load them.
 */
import { resolve } from 'node:path';
import { parseArgs } from './args.js';
import { UserError } from './errors.js';
import { PLATFORMS, type Platform } from '../plan/types.js';
import type { CommandContext } from './main.js';
import type { UnifiedConfig } from '../schema/config.js';
import type { Disk } from '../disks/types.js';
import type { WizardEnv } from '../../screens/state/wizard.js';

export const help = `slipway [--demo] [--config FILE] [--apply] [--platform P] [--out FILE]

The interactive installer: pick disks, build pools, datasets, containers and
the system basics, review the config and the commands, then apply.

  (no flags)      dry run against this machine's disks: shows every command, changes nothing
  --apply         really apply (as root), after a typed confirmation
  --demo          a built-in demo machine (assets/demo-machine.json); always a dry run
  --machine FILE  the disks of a recorded machine ("slipway disks --json > FILE"); a dry run
  --config FILE   start from an existing config (edit a preseed)
  --platform P    illumos, freebsd or linux (default: this OS; another one forces a dry run)
  --out FILE      where to write the config (default: ./slipway.json)

Needs a terminal; without one, use "slipway apply FILE".`;

/** The flags, as the wizard's environment (a type only: nothing of the UI loads here). */
export type TuiOptions = WizardEnv;

/** Flags → options, with every mistake a UserError before any UI. */
export function tuiOptions(argv: string[], ctx: CommandContext): TuiOptions | 'help' {
  const { positionals, flags } = parseArgs(
    argv,
    {
      demo: {},
      machine: { value: true },
      apply: {},
      config: { value: true },
      platform: { value: true, choices: PLATFORMS },
      out: { value: true, short: 'o' },
      help: { short: 'h' },
    },
    'tui',
  );
  if (flags.help) return 'help';
  if (positionals.length)
    throw new UserError(`unexpected "${positionals[0]}"`, 'see "slipway --help" for the commands');
  const host = ctx.hostPlatform();
  const platform = (flags.platform as Platform | undefined) ?? host;
  const demo = flags.demo === true;
  if (flags.apply && typeof flags.machine === 'string')
    throw new UserError(
      '--machine is a recorded machine: always a dry run, it cannot be combined with --apply',
      'leave out --machine to apply on this machine',
    );
  if (flags.apply && demo)
    throw new UserError(
      '--demo is always a dry run: it cannot be combined with --apply',
      'leave out --demo to apply on this machine',
    );
  if (flags.apply && platform !== host)
    throw new UserError(
      `this machine runs ${host}; a ${platform} config can only be planned here`,
      'leave out --apply',
    );
  if (flags.apply && typeof process.getuid === 'function' && process.getuid() !== 0)
    throw new UserError(
      '--apply needs root (it creates pools and containers)',
      'run it with sudo, or leave out --apply for a dry run',
    );
  const out = typeof flags.out === 'string' ? flags.out : 'slipway.json';
  return {
    platform,
    dryRun: flags.apply !== true,
    demo,
    outPath: resolve(out),
    configPath: typeof flags.config === 'string' ? resolve(flags.config) : undefined,
    machinePath: typeof flags.machine === 'string' ? resolve(flags.machine) : undefined,
  };
}

export async function prefill(file: string): Promise<UnifiedConfig> {
  const { readFileSync } = await import('node:fs');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(
      `--config ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  // A valid config is read without zod (read.js); parse.js (zod) reports the problems.
  const { readConfigQuickly } = await import('../schema/read.js');
  const quick = readConfigQuickly(text);
  const parsed =
    quick.parsed ?? (await import('../schema/parse.js')).parseConfigValue(quick.value, text);
  if (!parsed.ok) {
    const d = parsed.diagnostics[0]!;
    throw new UserError(
      `--config ${file}: ${d.path ? d.path + ': ' : ''}${d.message}${parsed.diagnostics.length > 1 ? ` (and ${parsed.diagnostics.length - 1} more)` : ''}`,
      d.hint ?? `"slipway validate ${file}" lists every problem`,
    );
  }
  return parsed.config;
}

/** The built-in demo machine: bundled, and checked by a test (so not parsed again here). */
async function demoDisks(): Promise<Disk[]> {
  const { default: profile } = await import('../../assets/demo-machine.json', {
    with: { type: 'json' },
  });
  return profile as Disk[];
}

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const options = tuiOptions(argv, ctx);
  if (options === 'help') {
    ctx.stdout.write(help + '\n');
    return 0;
  }
  // Checked once, before mounting: without a terminal there is nobody to ask.
  if (!ctx.stdin.isTTY || !ctx.stdout.isTTY) {
    ctx.stderr.write(
      'slipway: the interactive installer needs a terminal\n  hint: to install without one, use "slipway apply FILE --yes" (and "slipway validate FILE" first)\n',
    );
    return 1;
  }
  // A session keeps little but throws a frame's worth of cells away per key: a
  // young generation that stays at its initial size (1 MB semi-spaces) keeps it
  // ~12 MB smaller than the 8 MB semi-spaces V8 grows it to while the config, the
  // machine and Ink are loaded, with keystrokes no slower (bench/tui.bench.mjs).
  // V8 reads the flag each time it would grow the space, and never shrinks it
  // again on Node 20: so it is set before anything is loaded. (Built-in modules
  // loaded after a flag is changed are compiled without their code cache: ~4 ms
  // here, not measurable in the first frame.)
  // The objects that survive two scavenges of that small young generation (the
  // rows and fibers a keystroke replaces) are garbage in the old one, collected
  // when it reaches a limit that V8 sets after each full collection: after the
  // first one, at start-up, it allowed ~4 times the live heap (42 MB for ~10 MB
  // live), and a long session reached it before anything was collected (peak
  // RssAnon ~58 MB paging through the 1,000 disks); with at most 25% growth (or
  // V8's minimum step, 8 MB) that peak is ~40 MB, for one full collection of a few
  // ms every ~90 page-keys there, and none in the benchmark's session.
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString('--heap-growing-percent=25');
  // Functions are compiled to bytecode and, when warm, to baseline code
  // (Sparkplug), but not optimised (Maglev, TurboFan): the optimising compilers'
  // working memory stays in malloc's arenas once freed (3-4 MB for a session), and
  // their own machine code is pages of the executable that are then never read
  // (1.5-3 MB). A session draws frames of a few hundred cells and reacts to a key
  // at a time, which baseline code does as fast within this machine's noise
  // (bench/tui.bench.mjs); validating and planning 5,000 datasets are no slower
  // either, the optimising compilers cost about what they save in runs that short.
  // (Both flags: Node 26 does not apply --max-opt once started; Node 20 has no
  // Maglev to turn off.)
  v8.setFlagsFromString('--no-maglev');
  v8.setFlagsFromString('--no-turbofan');
  // Baseline code compiled here, not in batches on a worker thread (Node 26's
  // default): a batch compiled there when the Disks screen first drew left 3-4 MB
  // in one of malloc's arenas, in one session of three (peak RSS +4 MB).
  v8.setFlagsFromString('--no-concurrent-sparkplug');
  // WebAssembly (Yoga, Ink's layout engine) is not optimised either: its functions
  // stay in Liftoff's baseline code. Once warm they were compiled again by TurboFan on a
  // worker thread, as the Disks screen first laid out its rows: 30-40 ms of that
  // thread, ~4 MB left in its malloc arena and ~4 MB of the executable's compiler
  // code paged in (the benchmark's session: peak RSS 67-69 -> 62 MB for the bundle,
  // 76.5-77 -> 74.5 MB for the single executable); laying out a frame is no slower
  // within this machine's noise (bench/tui.bench.mjs).
  // Both flags: without dynamic tiering V8 tiers every function up at once, and
  // without tier-up alone it still tiers up the warm ones.
  v8.setFlagsFromString('--no-wasm-tier-up');
  v8.setFlagsFromString('--no-wasm-dynamic-tiering');
  const config = options.configPath
    ? await prefill(options.configPath)
    : (await import('../wizard/fields.js')).emptyConfig();
  const disks = options.demo
    ? await demoDisks()
    : options.machinePath
      ? await ctx.loadMachine(options.machinePath)
      : undefined;
  return mount(options, config, disks, ctx);
}

async function mount(
  options: TuiOptions,
  config: UnifiedConfig,
  demo: Disk[] | undefined,
  ctx: CommandContext,
): Promise<number> {
  // Ink decides once, when it is loaded, that a CI environment (CI=…) has no
  // interactive terminal and then draws only the last frame. This process has
  // checked that it runs in a terminal, so hide those variables while Ink loads.
  // Yoga (Ink's layout engine) loads its WebAssembly from a data: URL inlined in
  // its module, and fetches it when a global fetch exists: in Node that loads
  // fetch's implementation (undici and some 50 of Node's own modules, http2, tls,
  // crypto…) for the whole session. Without fetch it decodes the URL itself.
  const restoreEnv = hideCiEnvironment();
  const restoreFetch = hideFetch();
  const { mountApp } = await import('./tui-app.js').finally(() => {
    restoreFetch();
    restoreEnv();
  });
  return mountApp(options, config, demo, ctx);
}

/** Remove the global fetch; returns a function that puts it back. */
function hideFetch(): () => void {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!saved?.configurable) return () => {};
  delete (globalThis as { fetch?: unknown }).fetch;
  return () => Object.defineProperty(globalThis, 'fetch', saved);
}

/** Unset CI and CONTINUOUS_INTEGRATION; returns a function that puts them back. */
function hideCiEnvironment(): () => void {
  const saved: [string, string][] = [];
  for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) {
    const value = process.env[key];
    if (value !== undefined) {
      saved.push([key, value]);
      delete process.env[key];
    }
  }
  return () => {
    for (const [key, value] of saved) process.env[key] = value;
  };
}
