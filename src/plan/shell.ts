/**
 * Shell quoting for display and for the two places where a remote side joins
 * argv into a shell string: `zlogin ZONE cmd…` and `ssh HOST cmd…`. Every element
 * is quoted, so a name or value can never become shell syntax.
 */
import type { Step, StepContext } from './types.js';

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** Words that SAFE lets through, each once, separated by single spaces. */
const SAFE_LINE = /^[A-Za-z0-9_@%+=:,./-]+(?: [A-Za-z0-9_@%+=:,./-]+)*$/;

/** POSIX sh single-quoting of one word. */
export function shQuote(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** argv → a copy-pasteable shell line. */
export function shJoin(argv: readonly string[]): string {
  // Most argv (zfs create -o k=v … NAME) need no quoting: then one native join
  // makes the line as one flat string, where appending word by word made a
  // chain of joined strings that JSON.stringify copies flat again. The joined
  // line is checked with one regular expression, not each word with SAFE (nine
  // calls of a RegExp for each of 10,000 datasets: ~30M instructions, 1.3% of
  // a plan --json). The line passes exactly when every word is safe and not
  // empty (an empty word leaves two spaces in a row, or one at an end), as long
  // as no word has a space of its own, which a word that passes SAFE never has.
  const joined = argv.join(' ');
  if (SAFE_LINE.test(joined)) {
    let i = 0;
    while (i < argv.length && argv[i]!.indexOf(' ') < 0) i++;
    if (i === argv.length) return joined;
  }
  let line = '';
  for (let i = 0; i < argv.length; i++) line += i ? ` ${shQuote(argv[i]!)}` : shQuote(argv[i]!);
  return line;
}

/**
 * The argv that runs `argv` in `context`, as the host executes it.
 * - zone: zlogin joins its arguments and hands them to a shell in the zone, so
 *   each element is quoted for that shell (zlogin(1)).
 * - jail: jexec executes directly, no shell re-parsing (jexec(8)).
 * - container: `podman|docker exec -u 0 [-i] NAME argv…`; `-i` keeps stdin open when
 *   the step streams content.
 */
export function contextArgv(
  context: StepContext,
  argv: readonly string[],
  withStdin: boolean,
): string[] {
  switch (context.kind) {
    case 'host':
      return [...argv];
    case 'zone':
      return ['zlogin', ...(withStdin ? [] : ['-n']), context.name, ...argv.map(shQuote)];
    case 'jail':
      return ['jexec', context.name, ...argv];
    case 'container':
      // As root (uid 0): images that set USER (nobody, postgres…) would otherwise
      // run the configuration steps unprivileged.
      return [
        context.runtime,
        'exec',
        '-u',
        '0',
        ...(withStdin ? ['-i'] : []),
        context.name,
        ...argv,
      ];
  }
}

/** The host argv of a step (its own argv wrapped for its context). */
export function hostArgv(step: Pick<Step, 'context' | 'argv' | 'stdin'>): string[] {
  return contextArgv(step.context, step.argv, step.stdin !== undefined);
}

export const REDACTED = '<redacted>';

/** Replace every secret value in `text`. */
export function redact(text: string, secrets: readonly string[] | undefined): string {
  if (!secrets?.length) return text;
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join(REDACTED);
  return out;
}

/** A step's full command line for display: wrapped, piped, secrets redacted. */
export function displayCommand(step: Step): string {
  return commandLine(hostArgv(step), step);
}

/** displayCommand of a step whose host argv is `argv` (already wrapped for its context). */
export function commandLine(
  argv: readonly string[],
  step: Pick<Step, 'pipeTo' | 'secrets'>,
): string {
  let line = shJoin(argv);
  if (step.pipeTo) line += ` | ${shJoin(step.pipeTo)}`;
  return redact(line, step.secrets);
}

export function contextLabel(context: StepContext): string {
  return context.kind === 'host' ? 'host' : `${context.kind} ${context.name}`;
}
