import type { UnifiedConfig } from '../schema/index.js';
import { PlanBuilder, type PlannedStep } from './builder.js';
import type { Plan, Platform } from './types.js';
import { compileStorage } from './storage.js';
import { compileSystem } from './system.js';
import { compileContainers } from './containers.js';
import { compileSchedules } from './schedule.js';

export * from './types.js';

export interface PlanOptions {
  /** Pool capacity by pool name, when known from detected disks. */
  poolCapacity?: Record<string, number> | undefined;
}

/**
 * Compile a parsed config into the ordered steps apply would run on `platform`.
 * Pure: no I/O. Order: storage (pools, datasets, file systems, mounts, snapshots,
 * replication) → host basics (hostname, users, packages, early/main scripts) →
 * snapshot schedules → containers and their nested configs, each in the
 * container's own context → the host's late and always scripts, and power state.
 */
export function compilePlan(
  config: UnifiedConfig,
  platform: Platform,
  _options: PlanOptions = {},
): Plan {
  const b = new PlanBuilder(platform);
  compile(b, config);
  return { platform, steps: b.made, diagnostics: b.diagnostics };
}

/** A plan whose steps may be DeferredSteps (`step()` makes each). */
export interface DeferredPlan extends Omit<Plan, 'steps'> {
  steps: PlannedStep[];
}

/**
 * The plan as `plan --json` writes it once and drops it: the same steps as
 * compilePlan's, some kept as what they are made from until they are written.
 */
export function compilePlanForJson(config: UnifiedConfig, platform: Platform): DeferredPlan {
  const b = new PlanBuilder(platform, true);
  compile(b, config);
  return { platform, steps: b.steps, diagnostics: b.diagnostics };
}

function compile(b: PlanBuilder, config: UnifiedConfig): void {
  const storage = compileStorage(b, config);
  const system = compileSystem(
    b,
    config,
    { kind: 'host' },
    { path: '', after: storage.lastIds, deferLate: true },
  );
  // Snapshot policies and scheduled replication: the installed config and the
  // platform's scheduler entries calling `slipway snapshot run`.
  compileSchedules(b, config, { datasetStep: storage.datasetStep });
  const containers = compileContainers(b, config, { storage, hostSystem: system });
  // The host's late scripts, always scripts and power state come after the workloads.
  system.late?.([...system.lastIds, ...containers.lastIds]);
}
