import { expect } from 'vitest';
import { parseConfigText, parseConfigValue } from '../../src/schema/index.js';
import type { UnifiedConfig } from '../../src/schema/index.js';
import { PlanBuilder } from '../../src/plan/builder.js';
import { compileStorage, type StorageResult } from '../../src/plan/storage.js';
import type { Platform, Step } from '../../src/plan/types.js';
import { upstreamExample } from './upstream.js';

export interface StoragePlan {
  steps: Step[];
  byId: Map<string, Step>;
  result: StorageResult;
  warnings: { path: string; message: string; hint?: string | undefined }[];
  errors: { path: string; message: string; hint?: string | undefined }[];
}

function compile(config: UnifiedConfig, platform: Platform): StoragePlan {
  const b = new PlanBuilder(platform);
  const result = compileStorage(b, config);
  return {
    steps: b.made,
    byId: new Map(b.made.map((s) => [s.id, s])),
    result,
    warnings: b.diagnostics.filter((d) => d.severity === 'warning'),
    errors: b.diagnostics.filter((d) => d.severity === 'error'),
  };
}

export function planUpstream(name: string, platform: Platform): StoragePlan {
  const parsed = parseConfigText(upstreamExample(name));
  if (!parsed.ok) throw new Error(`${name} does not parse: ${JSON.stringify(parsed.diagnostics)}`);
  return compile(parsed.config, platform);
}

export function planStorage(storage: unknown, platform: Platform): StoragePlan {
  const parsed = parseConfigValue({ storage });
  if (!parsed.ok) throw new Error(`config does not parse: ${JSON.stringify(parsed.diagnostics)}`);
  return compile(parsed.config, platform);
}

export function step(plan: StoragePlan, id: string): Step {
  const s = plan.byId.get(id);
  if (!s) throw new Error(`no step ${id}; steps: ${[...plan.byId.keys()].join(', ')}`);
  return s;
}

/** Every id unique, every dependency an earlier step. */
export function expectValidOrder(plan: StoragePlan): void {
  const seen = new Set<string>();
  for (const s of plan.steps) {
    expect(seen.has(s.id), `duplicate id ${s.id}`).toBe(false);
    for (const d of s.dependsOn) expect(seen.has(d), `${s.id} depends on later ${d}`).toBe(true);
    seen.add(s.id);
  }
}

export function indexOf(plan: StoragePlan, id: string): number {
  const i = plan.steps.findIndex((s) => s.id === id);
  if (i < 0) throw new Error(`no step ${id}`);
  return i;
}
