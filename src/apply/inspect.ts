import type { ContainerRuntime } from '../plan/types.js';
import type { RunResult } from './runner.js';

/** How long a probe's query may take (the probes' and apply's early inspect). */
export const PROBE_TIMEOUT_MS = 120_000;

/**
 * The one `container inspect` of a runtime's containers that the probes ask,
 * and apply starts before it has a plan: names sorted and once each, so that
 * the same containers give the same argv however they were found.
 */
export function containerInspectArgv(runtime: ContainerRuntime, names: Iterable<string>): string[] {
  return [runtime, 'container', 'inspect', ...[...new Set(names)].sort()];
}

/**
 * Start that inspect now, before there is a plan (read-only): its argv, and
 * its answer for ProbeOracle.reuseEarlier.
 */
export function startContainerInspect(
  runtime: ContainerRuntime,
  names: Iterable<string>,
): { argv: string[]; result: Promise<RunResult> } {
  const argv = containerInspectArgv(runtime, names);
  const result = import('./runner.js').then(({ processRunner }) =>
    processRunner().run({ argv, timeoutMs: PROBE_TIMEOUT_MS }),
  );
  result.catch(() => undefined);
  return { argv, result };
}
