// The program as the single executable carries it: the same esbuild bundle as
// dist/slipway.js, but as the body of one async function instead of an ES module,
// so that the executable's small launcher (build/sea-launcher.mjs) can compile it
// with `vm.Script` and a code cache made at build time, and only when needed:
// `slipway --version` never compiles the 1 MB program at all.
//
// An ES module cannot be loaded that way, and a single executable cannot `import()`
// anything but Node's built-in modules. esbuild's ES-module output is already almost
// a plain script: lazily imported modules (also the ones with top-level await, such as
// yoga-layout) are `__esm` initialisers, the remaining top-level `await` (bin.ts) is
// legal in an async function body, and what is left is turned into script syntax here:
// - `import … from 'node:fs'` (built-ins): resolved to a one-line CommonJS module
//   `module.exports = require('node:fs')`, so esbuild emits `__require("node:fs")`;
// - `import.meta.url`: a parameter of the function.
// The result is checked: it must compile as a script.
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { writeFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { asciiOnly, root } from './options.mjs';
import { coreDynamicImports } from './core-split.mjs';

const builtins = new Set(builtinModules);
const isBuiltin = (p) => p.startsWith('node:') || builtins.has(p) || builtins.has(p.split('/')[0]);

/** Turns every import of a Node built-in module into `require()` of it. */
const builtinsAsRequire = {
  name: 'slipway-builtins-as-require',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.namespace === 'slipway-builtin') return { path: args.path, external: true };
      if (!isBuiltin(args.path)) return undefined;
      return { path: args.path, namespace: 'slipway-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'slipway-builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

export const PARAMS = ['require', '__slipwayImportMetaUrl'];

/** How a lazy import of the core names its module until it is routed (routeSeaLazyImports). */
const LAZY = 'slipway-lazy:';

/**
 * Bundle `entry` with `options` (the dist/slipway.js options, without banner) into
 * `outfile` as `(async function (require, __slipwayImportMetaUrl, …params) { … })`.
 * With `lazy` (the core: source path -> name, from CORE_LAZY), each of those
 * dynamic imports becomes a call of one more parameter, `__slipwayLazy(name)`
 * (build/sea-launcher.mjs compiles them from a second asset; coreDynamicImports
 * fails the build for any other). Returns its size and esbuild's metafile.
 */
export async function bundleSeaApp({ options, outfile, lazy, params = [] }) {
  const result = await build({
    ...options,
    banner: undefined,
    outfile: undefined,
    write: false,
    metafile: true,
    format: 'esm',
    define: { ...options.define, 'import.meta.url': '__slipwayImportMetaUrl' },
    plugins: [
      ...(lazy
        ? [coreDynamicImports(new Map([...lazy].map(([p, name]) => [p, LAZY + name])))]
        : []),
      ...(options.plugins ?? []),
      builtinsAsRequire,
    ],
  });
  let code = asciiOnly(result.outputFiles[0].text);
  if (lazy) code = routeSeaLazyImports(code, lazy.values());
  const all = [...PARAMS, ...(lazy ? ['__slipwayLazy'] : []), ...params];
  const wrapped = `(async function (${all.join(', ')}) {\n'use strict';\n${code}\n})`;
  try {
    new Script(wrapped, { filename: 'slipway-sea-app.js' });
  } catch (err) {
    throw new Error(
      `the single-executable program is not a plain script (${err.message}); ` +
        `a module construct survived the conversion in build/sea-app.mjs`,
    );
  }
  if (/\bimport\.meta\b/.test(code))
    throw new Error('the single-executable program still uses import.meta');
  writeFileSync(outfile, wrapped);
  return { outfile, bytes: Buffer.byteLength(wrapped), metafile: result.metafile };
}

/**
 * `import("slipway-lazy:NAME")` made `__slipwayLazy("NAME")`, for each name; no
 * other dynamic import may be left (code read from a cache can import nothing).
 */
function routeSeaLazyImports(text, names) {
  let out = text;
  for (const name of names) {
    const call = `import(${JSON.stringify(LAZY + name)})`;
    if (!out.includes(call)) throw new Error(`the core has no ${call} to route`);
    out = out.split(call).join(`__slipwayLazy(${JSON.stringify(name)})`);
  }
  const left = /\bimport\(\s*["'`]/.exec(out);
  if (left)
    throw new Error(
      `the single executable's core still has a dynamic import: ${out.slice(left.index, left.index + 60)}`,
    );
  return out;
}

/**
 * The core's rare paths as the single executable's second asset: `outfile` is
 * `(async function (require, __slipwayImportMetaUrl, __slipwayExport) { … })`, which
 * hands `__slipwayExport` a table of name -> function importing that module (still
 * lazily: `--machine` needs no zod schema of the config). `modules`: name -> source
 * path (CORE_LAZY).
 */
export async function bundleSeaLazy({ options, outfile, modules }) {
  const table = Object.entries(modules)
    .map(([name, path]) => `${JSON.stringify(name)}: () => import(${JSON.stringify(path)})`)
    .join(',\n');
  return bundleSeaApp({
    options: {
      ...options,
      entryPoints: undefined,
      stdin: {
        contents: `__slipwayExport({\n${table}\n});\n`,
        resolveDir: root,
        sourcefile: 'core-lazy.js',
        loader: 'js',
      },
    },
    outfile,
    params: ['__slipwayExport'],
  });
}
