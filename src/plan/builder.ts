import type { Diagnostic } from '../schema/diagnostics.js';
import type { Platform, Step, StepContext } from './types.js';

export const HOST: StepContext = { kind: 'host' };

/** A step as compilers describe it; the builder settles context, dependencies and `destroys`. */
type NewStep = Omit<Step, 'dependsOn' | 'destroys' | 'context'> &
  Partial<Pick<Step, 'dependsOn' | 'destroys'>>;

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

  /** Add a step; its dependencies are deduplicated. */
  add(step: NewStep & { context: StepContext }): Step {
    return this.addIn(step.context, step);
  }

  /**
   * Add a step in `context`. A dependency on `ignoreDep` (the step itself, for
   * callers that list "everything before") is dropped. `distinct`: the caller
   * vouches that `dependsOn` has no repeats, nor the step itself, and is an
   * array of its own, which the step then keeps as it is (a barrier over
   * 10,000 steps needs neither a Set to find repeats nor a copy).
   */
  addIn(context: StepContext, step: NewStep, ignoreDep?: string, distinct = false): Step {
    // One lookup of the id, not has() then add(): a new id grows the set (the
    // id is in it from here; a plan bug thrown below ends the compile anyway).
    const id = step.id;
    const size = this.ids.size;
    this.ids.add(id);
    if (this.ids.size === size) throw new Error(`plan bug: duplicate step id ${id}`);
    const given = step.dependsOn;
    let deps: string[];
    if (distinct && given) {
      for (let i = 0; i < given.length; i++) {
        const d = given[i]!;
        if (d === id || !this.ids.has(d))
          throw new Error(`plan bug: ${step.id} depends on unknown or later step ${d}`);
      }
      deps = given;
    } else {
      // Sized to the dependencies given: an array filled by push has room for 17,
      // and every step keeps its array as long as the plan lives.
      deps = given?.length ? new Array<string>(given.length) : [];
      let n = 0;
      if (given) {
        // a barrier can wait on thousands of steps: a Set keeps that linear
        const seen = given.length > 8 ? new Set<string>() : undefined;
        // indexed: for…of goes through the iterator protocol, which costs while
        // this code is still cold (it runs for every step, once per process)
        for (let i = 0; i < given.length; i++) {
          const d = given[i]!;
          if (d === ignoreDep || (seen ? seen.has(d) : deps.includes(d))) continue;
          if (d === id || !this.ids.has(d))
            throw new Error(`plan bug: ${step.id} depends on unknown or later step ${d}`);
          seen?.add(d);
          deps[n++] = d;
        }
      }
      deps.length = n;
    }
    // Every field in one literal, in one order: all steps share one hidden class
    // (a spread of the caller's object made a new, slower shape per kind of step,
    // and was the most expensive line of a 10,000-dataset plan).
    const full: Step = {
      id: step.id,
      title: step.title,
      context,
      argv: step.argv,
      pipeTo: step.pipeTo,
      stdin: step.stdin,
      env: step.env,
      secrets: step.secrets,
      dependsOn: deps,
      destroys: step.destroys ?? false,
      devices: step.devices,
      probe: step.probe,
      okExitCodes: step.okExitCodes,
      timeoutSeconds: step.timeoutSeconds,
    } satisfies { [K in keyof Step]-?: unknown }; // a field added to Step must be copied here
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
