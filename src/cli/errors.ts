/**
 * Marks a UserError made by any copy of this module. `slipway validate` and `plan`
 * run from a CommonJS bundle (build/bundle.mjs) that loads a few rare paths
 * (machine profiles, zod) from the ES-module build, which has its own UserError
 * class: an error thrown there must still be recognised by the core's main().
 */
const brand: unique symbol = Symbol.for('slipway.user-error');

/** A mistake the user can fix: printed as one line plus what to try next, never a stack. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }

  /** On the prototype (not an own property: an uncaught error prints as before). */
  get [brand](): true {
    return true;
  }

  /**
   * `err instanceof UserError` is true for a UserError of either copy; for a
   * subclass (`instanceof MachineProfileError`) the usual prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== UserError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { [brand]?: unknown })[brand] === true
    );
  }
}

/**
 * Run a command: a UserError it throws is printed (message, then the hint) and
 * its exit code returned; anything else is a bug and propagates.
 */
export async function reportingUserErrors(
  ctx: { readonly stderr: NodeJS.WritableStream },
  work: () => Promise<number>,
): Promise<number> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof UserError) {
      ctx.stderr.write(`slipway: ${err.message}\n`);
      if (err.hint) ctx.stderr.write(`  hint: ${err.hint}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
