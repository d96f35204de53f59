import type { ContainerRuntime } from '../plan/types.js';

/**
 * The one `container inspect` of a runtime's containers that the probes ask,
 * and apply starts before it has a plan: names sorted and once each, so that
 * the same containers give the same argv however they were found.
 */
export function containerInspectArgv(runtime: ContainerRuntime, names: Iterable<string>): string[] {
  return [runtime, 'container', 'inspect', ...[...new Set(names)].sort()];
}
