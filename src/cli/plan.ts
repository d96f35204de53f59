import { parseArgs } from './args.js';
import { readInput } from './io.js';
import { formatDiagnostic, palette } from './format.js';
import { checkConfigText } from '../validate/check.js';
import { compilePlan } from '../plan/index.js';
import { planToJson, renderPlan } from '../plan/describe.js';
import { PLATFORMS, type Platform } from '../plan/types.js';
import type { CommandContext } from './main.js';

export const help = `slipway plan FILE [--platform illumos|freebsd|linux] [--json]

Print every step apply would run, in order, with the exact command, the context
it runs in (host, zone, jail, container), whether it destroys data, and how apply
tells that it is already done. Touches nothing. --platform defaults to this OS.
Exit 0, or 2 when the config is invalid.`;

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const { positionals, flags } = parseArgs(
    argv,
    {
      json: {},
      platform: { value: true, choices: PLATFORMS },
      machine: { value: true },
      help: { short: 'h' },
    },
    'plan',
  );
  if (flags.help) {
    ctx.stdout.write(help + '\n');
    return 0;
  }
  const platform = (flags.platform as Platform | undefined) ?? ctx.hostPlatform();
  const { text, name } = readInput(positionals[0], 'plan');
  const disks =
    typeof flags.machine === 'string' ? await ctx.loadMachine(flags.machine) : undefined;
  const checked = checkConfigText(text, { platform, disks });
  const p = palette(ctx.stderr);
  if (!checked.ok || !checked.config) {
    if (flags.json)
      ctx.stdout.write(
        JSON.stringify({ valid: false, diagnostics: checked.diagnostics }, null, 2) + '\n',
      );
    else {
      for (const d of checked.diagnostics) ctx.stderr.write(formatDiagnostic(d, name, p));
      ctx.stderr.write(`${p.error('invalid')}: ${name}: no plan (fix the errors above)\n`);
    }
    return 2;
  }
  const plan = compilePlan(checked.config, platform);
  if (flags.json) {
    ctx.stdout.write(
      JSON.stringify(
        { ...planToJson(plan), diagnostics: [...checked.diagnostics, ...plan.diagnostics] },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  for (const d of [...checked.diagnostics, ...plan.diagnostics])
    ctx.stderr.write(formatDiagnostic(d, name, p));
  ctx.stdout.write(renderPlan(plan, palette(ctx.stdout)));
  return 0;
}
