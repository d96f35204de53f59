import type { Diagnostic } from '../schema/diagnostics.js';
import type { Platform, Step, StepContext } from './types.js';

export const HOST: StepContext = { kind: 'host' };

/**
 * Collects steps in a valid execution order (every dependency before its
 * dependants) and plan-time diagnostics. Ids must be unique: the journal keys on them.
 */
export class PlanBuilder {
  readonly steps: Step[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly ids = new Set<string>();

  constructor(readonly platform: Platform) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(
    step: Omit<Step, 'dependsOn' | 'destroys'> & Partial<Pick<Step, 'dependsOn' | 'destroys'>>,
  ): Step {
    if (this.ids.has(step.id)) throw new Error(`plan bug: duplicate step id ${step.id}`);
    const deps = [...new Set(step.dependsOn ?? [])];
    for (const d of deps)
      if (!this.ids.has(d))
        throw new Error(`plan bug: ${step.id} depends on unknown or later step ${d}`);
    const full: Step = { ...step, dependsOn: deps, destroys: step.destroys ?? false };
    this.ids.add(full.id);
    this.steps.push(full);
    return full;
  }

  warn(path: string, message: string, hint?: string): void {
    this.diagnostics.push({ severity: 'warning', path, message, hint });
  }

  error(path: string, message: string, hint?: string): void {
    this.diagnostics.push({ severity: 'error', path, message, hint });
  }
}
