/**
 * A small argument parser: flags are declared, unknown flags are user errors
 * with a suggestion. No dependency, so `--version` stays cheap.
 */
import { didYouMean } from '../schema/diagnostics.js';
import { UserError } from './errors.js';

export interface FlagSpec {
  /** Takes a value (`--platform linux`, `--platform=linux`). */
  value?: boolean;
  /** Allowed values, for flags that take one. */
  choices?: readonly string[];
  short?: string;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean>;
}

export function parseArgs(
  argv: readonly string[],
  spec: Record<string, FlagSpec>,
  command: string,
): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  const shorts = new Map(
    Object.entries(spec)
      .filter(([, s]) => s.short)
      .map(([name, s]) => [s.short!, name]),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else if (arg.length > 1 && arg.startsWith('-') && arg !== '-') {
      name = shorts.get(arg.slice(1));
      if (!name)
        throw new UserError(
          `unknown option ${arg} for "slipway ${command}"`,
          `see "slipway ${command} --help"`,
        );
    } else {
      positionals.push(arg);
      continue;
    }
    const s = spec[name];
    if (!s) {
      const guess = didYouMean(name, Object.keys(spec));
      throw new UserError(
        `unknown option --${name} for "slipway ${command}"`,
        guess ? `did you mean --${guess}?` : `see "slipway ${command} --help"`,
      );
    }
    if (s.value) {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--')))
        throw new UserError(
          `--${name} needs a value`,
          s.choices ? `one of: ${s.choices.join(', ')}` : undefined,
        );
      if (s.choices && !s.choices.includes(v)) {
        const guess = didYouMean(v, s.choices);
        throw new UserError(
          `--${name} ${v}: not one of ${s.choices.join(', ')}`,
          guess ? `did you mean --${name} ${guess}?` : undefined,
        );
      }
      flags[name] = v;
    } else {
      if (inline !== undefined) throw new UserError(`--${name} takes no value`);
      flags[name] = true;
    }
  }
  return { positionals, flags };
}
