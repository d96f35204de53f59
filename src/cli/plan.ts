import { writeFileSync } from 'node:fs';
import { parseArgs } from './args.js';
import { keepYoungGenerationSmall, optimiseForLargeDocument } from './tuning.js';
import { readInput, writePieces } from './io.js';
import { formatDiagnostic, palette, type Palette } from './format.js';
import { loadConfigText } from '../validate/load.js';
import { UserError } from './errors.js';
import { compilePlan, compilePlanForJson } from '../plan/index.js';
import { planJsonChunks, renderPlan } from '../plan/describe.js';
import { PLATFORMS, type Platform } from '../plan/types.js';
import { attachLocations } from '../schema/locate.js';
import { hasErrors } from '../schema/diagnostics.js';
import type { Disk } from '../disks/types.js';
import type { CommandContext } from './main.js';

export const help = `slipway plan FILE [--platform illumos|freebsd|linux] [--json] [--machine M]
slipway plan FILE --resolve [--machine M] [--out RESOLVED.json]

Print every step apply would run, in order, with the exact command, the context
it runs in (host, zone, jail, container), whether it destroys data, and how apply
tells that it is already done. Touches nothing. --platform defaults to this OS.

--json        the plan as one line of JSON (steps with argv, context, depends_on,
              destroys, probe, done_when; diagnostics); \`| jq .\` to read it.
--machine M   plan against a recorded machine profile (slipway disks --json > M):
              disk selectors are resolved to the disks they pick.
--resolve     write the config with every selector resolved and each chosen disk's
              identity (serial, wwn, size) recorded, to --out or standard output;
              apply refuses later when a disk is not the one recorded. Without
              --machine the disks of this machine are detected.
Exit 0, or 2 when the config is invalid.`;

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const { positionals, flags } = parseArgs(
    argv,
    {
      json: {},
      platform: { value: true, choices: PLATFORMS },
      machine: { value: true },
      resolve: {},
      out: { value: true, short: 'o' },
      help: { short: 'h' },
    },
    'plan',
  );
  if (flags.help) {
    ctx.stdout.write(help + '\n');
    return 0;
  }
  keepYoungGenerationSmall();
  const platform = (flags.platform as Platform | undefined) ?? ctx.hostPlatform();
  const { text, name } = await readInput(positionals[0], 'plan', ctx);
  optimiseForLargeDocument(text.length);
  let disks: Disk[] | undefined;
  if (typeof flags.machine === 'string') disks = await ctx.loadMachine(flags.machine);
  else if (flags.resolve) disks = await detectHere(platform, ctx);
  const loaded = await loadConfigText(text, { platform, disks });
  // made when something goes to standard error (--json writes only to stdout)
  let pal: Palette | undefined;
  const p = (): Palette => (pal ??= palette(ctx.stderr));
  if (!loaded.ok || !loaded.config) {
    if (flags.json)
      ctx.stdout.write(
        JSON.stringify({ valid: false, diagnostics: loaded.diagnostics }, null, 2) + '\n',
      );
    else {
      for (const d of loaded.diagnostics) ctx.stderr.write(formatDiagnostic(d, name, p()));
      ctx.stderr.write(`${p().error('invalid')}: ${name}: no plan (fix the errors above)\n`);
    }
    return 2;
  }
  if (flags.resolve) {
    // serialize.ts loads zod (it checks that the written config reads back the same)
    const [{ recordDiskIdentity }, { serializeConfig, configHasSecrets }] = await Promise.all([
      import('../disks/select.js'),
      import('../schema/serialize.js'),
    ]);
    const resolved = recordDiskIdentity(loaded.config, disks ?? []);
    const out = serializeConfig(resolved);
    for (const d of loaded.diagnostics) ctx.stderr.write(formatDiagnostic(d, name, p()));
    if (typeof flags.out === 'string') {
      writeFileSync(flags.out, out, { mode: configHasSecrets(resolved) ? 0o600 : 0o644 });
      ctx.stderr.write(`wrote ${flags.out} with the chosen disks and their identities\n`);
    } else ctx.stdout.write(out);
    return 0;
  }
  // --json writes the plan and drops it: its dataset steps are made as they are written
  const made = flags.json ? undefined : compilePlan(loaded.config, platform);
  const plan = made ?? compilePlanForJson(loaded.config, platform);
  // The plan repeats some findings of validation in its own words (a property it
  // leaves out); show each place once.
  const reported = new Set(loaded.diagnostics.map((d) => `${d.severity}\u0000${d.path}`));
  const planOnly = plan.diagnostics.filter((d) => !reported.has(`${d.severity}\u0000${d.path}`));
  attachLocations(planOnly, text);
  const diagnostics = [...loaded.diagnostics, ...planOnly];
  if (hasErrors(planOnly)) {
    if (flags.json) ctx.stdout.write(JSON.stringify({ valid: false, diagnostics }, null, 2) + '\n');
    else {
      for (const d of diagnostics) ctx.stderr.write(formatDiagnostic(d, name, p()));
      ctx.stderr.write(
        `${p().error('invalid')}: ${name}: no plan for ${platform} (fix the errors above)\n`,
      );
    }
    return 2;
  }
  if (flags.json) {
    // One line: V8 prints compact JSON several times faster than indented JSON,
    // and a large plan is megabytes of it (`| jq .` shows it indented); written
    // in pieces (planJsonChunks says why).
    writePieces(ctx.stdoutFile?.() ?? ctx.stdout, planJsonChunks(plan, diagnostics));
    return 0;
  }
  for (const d of diagnostics) ctx.stderr.write(formatDiagnostic(d, name, p()));
  ctx.stdout.write(renderPlan(made!, palette(ctx.stdout)));
  return 0;
}

async function detectHere(platform: Platform, ctx: CommandContext): Promise<Disk[]> {
  if (platform !== ctx.hostPlatform())
    throw new UserError(
      `--resolve for ${platform} needs the disks of a ${platform} machine`,
      'record them there with "slipway disks --json > machine.json" and pass --machine machine.json',
    );
  const { detectDisks } = await import('../disks/probe.js');
  try {
    return await detectDisks(platform);
  } catch (err) {
    throw new UserError(
      `cannot detect disks: ${(err as Error).message}`,
      'pass --machine FILE with a recorded profile',
      1,
    );
  }
}
