import type { Diagnostic } from '../schema/diagnostics.js';
import type { Platform, Step, StepContext } from './types.js';
import type { StepJson } from './describe.js';

export const HOST: StepContext = { kind: 'host' };

/** A step as compilers describe it; the builder settles context, dependencies and `destroys`. */
export type NewStep = Omit<Step, 'dependsOn' | 'destroys' | 'context'> &
  Partial<Pick<Step, 'dependsOn' | 'destroys'>>;

/**
 * A step kept as the little it is made from until it is written out, for a
 * builder made with `defer` (`slipway plan --json`, compilePlanForJson): only
 * `id` and `dependsOn` are read while the plan compiles, and `step()` makes the
 * whole step, the same as adding `newStep()` would have made it, each time it
 * is called. A tree of 10,000 datasets otherwise keeps ~4 MB of argv arrays,
 * titles and probes until the plan is written, each MB promoted to the old
 * generation costing ~4 ms in page faults here (see addDeferred).
 */
export abstract class DeferredStep {
  abstract readonly id: string;
  /** Distinct ids of earlier steps, not the step's own (as addIn's `distinct`). */
  abstract readonly dependsOn: string[];
  abstract readonly context: StepContext;
  /** What addIn would be given for this step (its dependsOn: this.dependsOn). */
  abstract newStep(): NewStep;
  /** stepToJson(this.step()), made without the step. */
  abstract json(): StepJson;

  step(): Step {
    return fullStep(this.context, this.newStep(), this.dependsOn);
  }
}

/** A step as plan.steps holds it: made, or made when written (DeferredStep). */
export type PlannedStep = Step | DeferredStep;

/**
 * Every field in one literal, in one order: all steps share one hidden class
 * (a spread of the caller's object made a new, slower shape per kind of step,
 * and was the most expensive line of a 10,000-dataset plan).
 */
function fullStep(context: StepContext, step: NewStep, deps: string[]): Step {
  return {
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
}

/**
 * Collects steps in a valid execution order (every dependency before its
 * dependants) and plan-time diagnostics. Ids must be unique: the journal keys on them.
 */
export class PlanBuilder {
  readonly steps: PlannedStep[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly ids = new Set<string>();

  /**
   * `defer`: keep the steps added with addDeferred as they are given (only for
   * a plan that is written out and dropped: compilePlanForJson).
   */
  constructor(
    readonly platform: Platform,
    readonly defer = false,
  ) {}

  /** The steps of a builder that does not defer: every one made. */
  get made(): Step[] {
    if (this.defer) throw new Error('plan bug: the steps of a deferring builder are not all made');
    return this.steps as Step[];
  }

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
    const id = step.id;
    this.claim(id);
    const given = step.dependsOn;
    let deps: string[];
    if (distinct && given) {
      this.checkDistinct(id, given);
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
    const full = fullStep(context, step, deps);
    this.steps.push(full);
    return full;
  }

  /**
   * Add `d`, a step with distinct dependencies (as addIn's `distinct`): kept as
   * it is when the builder defers, else made now. Either way its id and
   * dependencies are checked here, when it is added.
   */
  addDeferred(d: DeferredStep): void {
    if (!this.defer) {
      this.addIn(d.context, d.newStep(), undefined, true);
      return;
    }
    this.claim(d.id);
    this.checkDistinct(d.id, d.dependsOn);
    this.steps.push(d);
  }

  /** Take `id` for a new step. One lookup, not has() then add(): a new id grows the set. */
  private claim(id: string): void {
    const size = this.ids.size;
    this.ids.add(id);
    if (this.ids.size === size) throw new Error(`plan bug: duplicate step id ${id}`);
  }

  private checkDistinct(id: string, deps: readonly string[]): void {
    for (let i = 0; i < deps.length; i++) {
      const d = deps[i]!;
      if (d === id || !this.ids.has(d))
        throw new Error(`plan bug: ${id} depends on unknown or later step ${d}`);
    }
  }

  warn(path: string, message: string, hint?: string): void {
    this.diagnostics.push({ severity: 'warning', path, message, hint });
  }

  error(path: string, message: string, hint?: string): void {
    this.diagnostics.push({ severity: 'error', path, message, hint });
  }
}
