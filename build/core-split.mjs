// Where the core of `validate` and `plan` (src/cli/core.ts) ends: which of its
// dynamic imports stay in it and which are loaded only when a run needs them. Both
// builds split it the same way: dist/slipway.js's core imports the rare paths from
// the ES-module build (build/bundle.mjs), the single executable's from a second
// asset, core-lazy.js (build/sea.mjs).
import { join, relative } from 'node:path';
import { root } from './options.mjs';

/**
 * The modules the core imports lazily: the rare paths of `validate` and `plan`,
 * which would make the core bigger for every run. A dynamic import in the core
 * that is neither here nor in CORE_INLINE fails the build.
 */
export const CORE_LAZY = {
  // zod: only for a document the generated reader leaves to it (validate/load.ts)
  parse: 'src/schema/parse.ts',
  // --resolve: writes the config back (zod checks it reads back the same)
  serialize: 'src/schema/serialize.ts',
  // --machine: the profile (machine.ts is its zod reader)
  'machine-read': 'src/disks/machine-read.ts',
  machine: 'src/disks/machine.ts',
  // --resolve without --machine: disk detection (execa)
  probe: 'src/disks/probe.ts',
};

/**
 * Dynamic imports the core keeps in itself: the two commands (esbuild keeps them
 * lazily initialised: with static imports `validate` also evaluated the plan
 * compiler's modules, CPU 318 -> 348 ms for 10,000 datasets), and select.ts, which
 * validate/load.ts imports statically anyway (plan --resolve imports it again).
 */
export const CORE_INLINE = ['src/cli/validate.ts', 'src/cli/plan.ts', 'src/disks/select.ts'];

/** Packages the core must never contain (the build fails if one is in it). */
export const CORE_FORBIDDEN =
  /(^|\/)node_modules\/(zod|ink|ink-select-input|react|react-reconciler|yoga-layout|execa)\//;

/**
 * An esbuild plugin for the core's dynamic imports: each module of CORE_LAZY
 * becomes an external `import()` of what `lazy` maps its source path to (dist: its
 * file in the ES-module build; the executable: a name the launcher resolves);
 * those of CORE_INLINE stay in the core; anything else fails the build.
 */
export function coreDynamicImports(lazy) {
  const inline = new Set(CORE_INLINE.map((p) => join(root, p)));
  const again = {};
  return {
    name: 'slipway-core-dynamic-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === again) return undefined;
        const r = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: again,
        });
        if (r.errors.length) return { errors: r.errors };
        const file = lazy.get(r.path);
        if (file) return { path: file, external: true };
        if (inline.has(r.path)) return { path: r.path };
        return {
          errors: [
            {
              text:
                `the core (validate, plan) imports ${relative(root, r.path) || args.path} lazily: ` +
                'add it to CORE_LAZY (loaded only when needed) or CORE_INLINE in build/core-split.mjs',
            },
          ],
        };
      });
    },
  };
}

/** The packages of CORE_FORBIDDEN that an esbuild metafile's inputs contain. */
export function forbiddenInCore(metafile) {
  const heavy = Object.keys(metafile.inputs).filter((p) => CORE_FORBIDDEN.test(p));
  return { first: heavy[0], packages: [...new Set(heavy.map((p) => p.match(CORE_FORBIDDEN)[2]))] };
}
