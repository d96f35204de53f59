/**
 * What the Review screen shows: the config as it will be written (secrets
 * redacted), the plan's commands, and every diagnostic of the config read back
 * from that text. Pure, but heavy (the schema, validation, the plan compiler):
 * the effects layer loads it when Review opens, so the first screen does not.
 */
import type { Disk } from '../disks/types.js';
import type { Platform } from '../plan/types.js';
import type { UnifiedConfig } from '../schema/config.js';
import type { Diagnostic } from '../schema/diagnostics.js';
import { parseConfigText } from '../schema/parse.js';
import { validateConfig } from '../validate/index.js';
import { compilePlan } from '../plan/index.js';
import { contextLabel, displayCommand } from '../plan/shell.js';
import { configText, redactedConfigText } from './serialize.js';

export interface ReviewCheck {
  text: string;
  planLines: string[];
  diagnostics: Diagnostic[];
  errors: number;
}

/** Everything Review shows, from the config as it would be written and read back. */
export function reviewCheck(
  config: UnifiedConfig,
  env: { platform: Platform },
  disks: readonly Disk[],
): ReviewCheck {
  const text = configText(config);
  const parsed = parseConfigText(text);
  if (!parsed.ok)
    return {
      text: redactedConfigText(config),
      planLines: [],
      diagnostics: parsed.diagnostics,
      errors: parsed.diagnostics.length,
    };
  const diagnostics = validateConfig(parsed.config, { platform: env.platform, disks });
  const plan = compilePlan(parsed.config, env.platform);
  const all = [...diagnostics, ...plan.diagnostics];
  return {
    text: redactedConfigText(config),
    planLines: plan.steps.map(
      (s) => `${s.destroys ? '!' : ' '} [${contextLabel(s.context)}] ${displayCommand(s)}`,
    ),
    diagnostics: all,
    errors: all.filter((d) => d.severity === 'error').length,
  };
}
