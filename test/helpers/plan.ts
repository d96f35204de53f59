/** Helpers shared by the plan tests: parsed configs and step lookups. */
import { parseConfigText, parseConfigValue, type UnifiedConfig } from '../../src/schema/index.js';
import type { Plan, Step } from '../../src/plan/index.js';
import { upstreamExample } from './upstream.js';

/** A palette without colours, for renderPlan in tests. */
export const plain = {
  muted: (s: string) => s,
  accent: (s: string) => s,
  error: (s: string) => s,
  warning: (s: string) => s,
};

/** An upstream example, parsed (throws when it does not parse). */
export function upstream(name: string): UnifiedConfig {
  const r = parseConfigText(upstreamExample(name));
  if (!r.ok || !r.config) throw new Error(`${name} does not parse`);
  return r.config;
}

/** A test config from a plain value (throws when it does not parse). */
export function cfg(value: unknown): UnifiedConfig {
  const r = parseConfigValue(value);
  if (!r.ok) throw new Error(`test config does not parse: ${JSON.stringify(r.diagnostics)}`);
  return r.config;
}

/** The step with this id (throws, listing the ids, when there is none). */
export function step(plan: Plan, id: string): Step {
  const s = plan.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}; have ${plan.steps.map((x) => x.id).join(' ')}`);
  return s;
}

/** The position of a step in the plan (-1 when absent). */
export const idx = (plan: Plan, id: string) => plan.steps.findIndex((s) => s.id === id);
