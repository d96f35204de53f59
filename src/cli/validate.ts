import { parseArgs } from './args.js';
import { keepYoungGenerationSmall, optimiseForLargeDocument } from './tuning.js';
import { readInput } from './io.js';
import { formatDiagnostic, palette, summarize } from './format.js';
import { loadConfigText } from '../validate/load.js';
import { PLATFORMS, type Platform } from '../plan/types.js';
import type { CommandContext } from './main.js';

export const help = `slipway validate FILE [--json] [--platform illumos|freebsd|linux] [--machine M]

Schema and semantic checks of a unified config. Every problem is printed with
its JSON path and what to do. FILE may be - for standard input.
--machine M checks against a recorded machine profile (slipway disks --json > M):
disk selectors are resolved and pool capacity is known for the budget checks.
Exit 0 when there are no errors (warnings are printed), 2 otherwise.`;

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const { positionals, flags } = parseArgs(
    argv,
    {
      json: {},
      platform: { value: true, choices: PLATFORMS },
      machine: { value: true },
      help: { short: 'h' },
    },
    'validate',
  );
  if (flags.help) {
    ctx.stdout.write(help + '\n');
    return 0;
  }
  keepYoungGenerationSmall();
  const { text, name } = await readInput(positionals[0], 'validate', ctx);
  optimiseForLargeDocument(text.length);
  const disks =
    typeof flags.machine === 'string' ? await ctx.loadMachine(flags.machine) : undefined;
  const result = await loadConfigText(text, {
    platform: flags.platform as Platform | undefined,
    disks,
  });
  if (flags.json) {
    ctx.stdout.write(
      JSON.stringify({ valid: result.ok, diagnostics: result.diagnostics }, null, 2) + '\n',
    );
  } else {
    const p = palette(ctx.stderr);
    for (const d of result.diagnostics) ctx.stderr.write(formatDiagnostic(d, name, p));
    ctx.stderr.write(
      result.ok
        ? `${p.ok('valid')}: ${name} (${summarize(result.diagnostics)})\n`
        : `${p.error('invalid')}: ${name} (${summarize(result.diagnostics)})\n`,
    );
  }
  return result.ok ? 0 : 2;
}
