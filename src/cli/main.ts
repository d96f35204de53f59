/**
 * Entry point. Kept small: `--version` loads nothing else, and each command is
 * imported only when it runs, so `validate` and `plan` never load Ink or React.
 */
import { UserError, reportingUserErrors } from './errors.js';
import { batchCommands } from './batch.js';
import type { Platform } from '../plan/types.js';
import type { Disk } from '../disks/types.js';

export { hostPlatform, loadMachine } from './host.js';

declare const __SLIPWAY_VERSION__: string | undefined;

export interface CommandContext {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /**
   * Standard output's descriptor when it is a file or /dev/null and no stream
   * has been made for it yet (writePieces writes there directly), else undefined.
   */
  stdoutFile?(): number | undefined;
  hostPlatform(): Platform;
  /** Read a recorded machine profile (`slipway disks --json > machine.json`). */
  loadMachine(file: string): Promise<Disk[]>;
}

export type Command = { run(argv: string[], ctx: CommandContext): Promise<number>; help: string };

const commands: Record<string, () => Promise<Command>> = {
  ...batchCommands,
  schema: () => import('./schema.js'),
};

/** Registered by later modules (apply, disks, tui, snapshot) without touching the table above. */
export function registerCommand(name: string, load: () => Promise<Command>): void {
  commands[name] = load;
}

export function version(): string {
  return typeof __SLIPWAY_VERSION__ === 'string' ? __SLIPWAY_VERSION__ : '0.0.0-dev';
}

const usage = `slipway — first-boot installer: ZFS pools, datasets, zones, jails and containers from one config

usage:
  slipway [--demo] [--config FILE] [--apply]   interactive installer (needs a terminal)
  slipway validate FILE [--json]               check a config: errors and warnings with JSON paths
  slipway plan FILE [--platform P] [--json]    every command apply would run, in order
  slipway apply FILE [--yes] [--dry-run]       apply a config headless (resumable)
  slipway disks [--json]                       detected disks and why some cannot be used
  slipway schema                               the JSON Schema of the config
  slipway --version

FILE may be - for standard input. P is illumos, freebsd or linux (default: this OS).
"slipway COMMAND --help" tells more.`;

export async function main(argv: string[], ctx: CommandContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-V') {
    ctx.stdout.write(`slipway ${version()}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    ctx.stdout.write(usage + '\n');
    return 0;
  }
  return reportingUserErrors(ctx, async () => {
    if (first === undefined || first.startsWith('-')) {
      const load = commands.tui;
      if (!load)
        throw new UserError(
          'the interactive installer is not available in this build',
          'use "slipway apply FILE"',
        );
      return await (await load()).run(argv, ctx);
    }
    const load = commands[first];
    if (!load) {
      const { didYouMean } = await import('../schema/diagnostics.js');
      const guess = didYouMean(first, Object.keys(commands));
      throw new UserError(
        `unknown command "${first}"`,
        guess ? `did you mean "slipway ${guess}"?` : 'see "slipway --help"',
      );
    }
    return await (await load()).run(rest, ctx);
  });
}
