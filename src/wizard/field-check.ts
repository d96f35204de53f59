/**
 * Inline checks of what is typed into the Containers and System forms: the
 * validator's own rules (the ones Review reports through validateConfig) run
 * on the section the edit is in, and an edit is refused when it brings in an
 * error that was not there before — in the edited entry, or elsewhere in the
 * section (a host port another container publishes, a zonepath inside another).
 * Only the containers and networking checks are loaded here, not the whole
 * validator (that waits for Review).
 */
import type { UnifiedConfig } from '../schema/config.js';
import type { Diagnostic } from '../schema/diagnostics.js';
import type { Platform } from '../plan/types.js';
import { newCtx } from '../validate/context.js';
import { checkContainers } from '../validate/containers.js';
import { checkNetworking } from '../validate/system.js';
import { containerKind } from './fields.js';

/** The part of the config an edit touches: networking, or one zone/jail/container. */
export type EditedPart = { kind: 'networking' } | { kind: 'container'; index: number };

function within(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

function errors(config: UnifiedConfig, platform: Platform, part: EditedPart): Diagnostic[] {
  const ctx = newCtx(platform, undefined);
  if (part.kind === 'networking') checkNetworking(ctx, ['networking'], config.networking);
  // Nested configs are not this edit's business: the callback leaves them out.
  else checkContainers(ctx, ['containers'], config.containers, undefined, () => undefined);
  return ctx.report.diagnostics.filter((d) => d.severity === 'error');
}

/**
 * What is wrong with `after` that was not wrong with `before`, as one line
 * (message — hint; with its path when it is outside the edited entry), or
 * undefined when the edit brings in no error.
 */
export function newProblem(
  before: UnifiedConfig,
  after: UnifiedConfig,
  platform: Platform,
  part: EditedPart,
): string | undefined {
  const key = (d: Diagnostic) => `${d.path}\u0000${d.message}`;
  const old = new Set(errors(before, platform, part).map(key));
  const added = errors(after, platform, part).filter((d) => !old.has(key(d)));
  const entry =
    part.kind === 'networking'
      ? 'networking'
      : `containers.${containerKind(platform)}[${part.index}]`;
  const d = added.find((x) => within(x.path, entry)) ?? added[0];
  if (!d) return undefined;
  const where = within(d.path, entry) ? '' : ` (at ${d.path})`;
  return `${d.message}${where}${d.hint ? ` — ${d.hint}` : ''}`;
}
