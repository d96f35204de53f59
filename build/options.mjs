// The esbuild options of the bundle, shared by build/bundle.mjs (dist/slipway.js) and
// build/sea.mjs (the program inside dist/slipway).
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INK_DIFF_SOURCE, INK_PROPS_LOOP } from './ink-diff.mjs';
import { STRING_WIDTH_EMOJI_TEST } from './string-width.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * Every non-ASCII character written as a \u escape. esbuild already escapes them in
 * strings, template literals, regular expressions and identifiers (its default
 * `charset: 'ascii'`); what remains is in the comments it keeps, where an escape
 * changes nothing.
 */
export function asciiOnly(code) {
  return code.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The esbuild options shared by dist/slipway.js and the single executable's program
 * (`entry`: another program built the same way, e.g. the benchmark's hello-world).
 */
export function esbuildOptions({ minify = false, entry = join(root, 'src/cli/bin.ts') } = {}) {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify,
    // Without indentation and comments (names are kept: stack traces still name
    // their functions). V8 keeps a script's source for as long as the program
    // runs (to compile each function when first called): the single executable's
    // program is 2.5 -> 1.8 MB, held in memory once copied out of the executable,
    // and the TUI's chunks of dist/slipway.js 1.5 -> 1.1 MB.
    minifyWhitespace: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    jsx: 'automatic',
    define: {
      __SLIPWAY_VERSION__: JSON.stringify(pkg.version),
      'process.env.DEV': '"false"',
      // React's production build: smaller, and no development-only checks at run time.
      'process.env.NODE_ENV': '"production"',
    },
    // Ink imports react-devtools-core only for its dev mode.
    alias: { 'react-devtools-core': join(root, 'build/devtools-stub.js') },
    plugins: [
      zodEnglishOnly,
      fasterAnsiTokenize,
      leanerInkOutput,
      leanerInkDiff,
      rememberedWidestLine,
      lazierStringWidthEmoji,
    ],
  };
}

/**
 * zod re-exports every locale it has (`z.locales`, ~400 KB of the bundle) and
 * configures English itself; Slipway never selects another. The locale index is
 * replaced by one that exports English only, so every command compiles less.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]v4[\\/](?:classic|core)$/.test(args.resolveDir)
        ? { path: join(root, 'build/zod-locales-en.js') }
        : undefined,
    );
  },
};

/**
 * Ink's renderer imports @alcalzone/ansi-tokenize; it gets build/ansi-tokenize.mjs,
 * which is that package with a styledCharsToString that skips the work between two
 * characters of the same style (the same text, a fraction of the garbage per frame).
 */
const ansiTokenizeShim = join(root, 'build/ansi-tokenize.mjs');
const fasterAnsiTokenize = {
  name: 'faster-ansi-tokenize',
  setup(b) {
    b.onResolve({ filter: /^@alcalzone\/ansi-tokenize$/ }, (args) =>
      args.importer === ansiTokenizeShim ? undefined : { path: ansiTokenizeShim },
    );
  },
};

/**
 * Ink's output grid (ink/build/output.js, imported by its renderer) is
 * build/ink-output.mjs: Ink's Output with a get() that writes the same text with far
 * fewer objects per frame (see there).
 */
const inkOutputShim = join(root, 'build/ink-output.mjs');
const leanerInkOutput = {
  name: 'leaner-ink-output',
  setup(b) {
    b.onResolve({ filter: /^\.\/output\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]ink[\\/]build$/.test(args.resolveDir)
        ? { path: inkOutputShim }
        : undefined,
    );
  },
};

/**
 * Ink's reconciler compares props with its own `diff`, and walks what it returns
 * with a for-of over Object.entries; the bundle's takes build/ink-diff.mjs's diff,
 * which returns the same and allocates only what it returns, and walks it with a
 * for-in (see there). Each text is replaced where it is exactly once in Ink; if it
 * is not (another Ink), the build fails.
 */
const inkDiffShim = join(root, 'build/ink-diff.mjs');
const inkReconcilerEdits = [
  [INK_DIFF_SOURCE, `import { diff } from ${JSON.stringify(inkDiffShim)};`],
  [INK_PROPS_LOOP.source, INK_PROPS_LOOP.replacement],
];
const leanerInkDiff = {
  name: 'leaner-ink-diff',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      for (const [source, replacement] of inkReconcilerEdits) {
        const parts = text.split(source);
        if (parts.length !== 2)
          throw new Error(
            `${args.path}: Ink's reconciler is not the one build/ink-diff.mjs stands in for; compare them`,
          );
        text = parts.join(replacement);
      }
      return { contents: text, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * widest-line, as Ink imports it, is build/widest-line.mjs: the same function,
 * remembering the widths of the texts it measured (Ink measures every text of every
 * frame).
 */
const widestLineShim = join(root, 'build/widest-line.mjs');
const rememberedWidestLine = {
  name: 'remembered-widest-line',
  setup(b) {
    b.onResolve({ filter: /^widest-line$/ }, (args) =>
      /[\\/]node_modules[\\/]ink[\\/]build$/.test(args.resolveDir)
        ? { path: widestLineShim }
        : undefined,
    );
  },
};

/**
 * string-width (the one Ink, widest-line and cli-truncate import) tests a grapheme
 * against its RGI emoji expression only when build/string-width.mjs's mayBeRgiEmoji
 * says it could be one: the expression (~50 ms and 5-6 MB to compile) is then not
 * compiled for texts such as the Disks screen's (see there). Its text is replaced
 * where it is exactly once; if it is not (another string-width), the build fails.
 */
const stringWidthShim = join(root, 'build/string-width.mjs');
const lazierStringWidthEmoji = {
  name: 'lazier-string-width-emoji',
  setup(b) {
    const path = realpathSync(join(root, 'node_modules/string-width/index.js'));
    b.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, (args) => {
      if (realpathSync(args.path) !== path) return undefined;
      const parts = readFileSync(path, 'utf8').split(STRING_WIDTH_EMOJI_TEST.source);
      if (parts.length !== 2)
        throw new Error(
          `${path}: not the string-width that build/string-width.mjs edits; compare them`,
        );
      return {
        contents:
          `import { mayBeRgiEmoji } from ${JSON.stringify(stringWidthShim)};\n` +
          parts.join(STRING_WIDTH_EMOJI_TEST.replacement),
        loader: 'js',
        resolveDir: dirname(path),
      };
    });
  },
};
