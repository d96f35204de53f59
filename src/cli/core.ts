/**
 * `slipway validate` and `slipway plan` as dist/slipway.js runs them: bundled as
 * one CommonJS file (build/bundle.mjs says why), started only for those two
 * commands. Their rare paths (zod for a document with problems, machine
 * profiles, disk detection, --resolve's serializer) are `import()`s of the
 * ES-module build's modules, not part of this bundle.
 */
import { batchCommands } from './batch.js';
import { reportingUserErrors } from './errors.js';
import { runMain } from './run.js';

void runMain(async (argv, ctx) => {
  const [first, ...rest] = argv;
  if (first !== 'validate' && first !== 'plan')
    throw new Error(`the core of slipway runs validate and plan, not ${String(first)}`);
  return reportingUserErrors(ctx, async () => (await batchCommands[first]()).run(rest, ctx));
});
