// Run by the node binary that is the base of dist/slipway (build/sea.mjs): writes a
// V8 code cache of the program script, which the launcher hands to vm.Script. A cache
// from another V8 version or with other V8 flags is rejected at run time, and the
// program is then compiled from source (slower, still correct).
//
//   node build/sea-cache.mjs PROGRAM.js OUTPUT.cache [--lazy LAZY.js] [CONFIG.json …]
//   node build/sea-cache.mjs PROGRAM.js OUTPUT.cache --terminal [ARG …]
//
// V8 puts every function compiled so far into a cache, not only the top level; what
// is not in it is compiled from source when it is first called, at every start. So
// the program runs before the cache is made, as it will run:
// - with CONFIG files, `validate` and `plan` on each (output discarded): the core's
//   cache (src/cli/core.ts, which runs those two; LAZY.js is its rare paths, which
//   the launcher compiles without a cache when a run imports one);
// - with neither, the program's top level only: its cache for commands run without
//   a terminal;
// - with --terminal, the program with ARGs, its stdin and stdout a fake 80×24
//   terminal, up to its first output (its first frame): the cache the launcher takes
//   when stdin and stdout are terminals. Ink, React and the first screen are then
//   compiled from the cache instead of from source (~100 M fewer instructions to
//   slipway's first frame, by callgrind). A separate cache, because V8 deserializes
//   the whole cache at every start: the TUI's functions in the other one cost
//   `slipway --help` 20-25% more instructions.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PassThrough, Writable } from 'node:stream';
import { setImmediate } from 'node:timers';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { Script } from 'node:vm';
import { warmUpRuns } from './warm-up.mjs';

const [source, output, ...args] = process.argv.slice(2);
const lazySource = args[0] === '--lazy' ? args[1] : undefined;
const rest = lazySource === undefined ? args : args.slice(2);
const terminal = rest[0] === '--terminal' ? rest.slice(1) : undefined;
const configs = terminal ? [] : rest;
const script = new Script(readFileSync(source, 'utf8'), { filename: 'slipway.js' });
const require = createRequire(pathToFileURL(source).href);
const url = pathToFileURL(source).href;
const node = process.argv[0];
// The cache carries a hash of the V8 flags; it must be the one the executable starts with.
const versionTag = v8.cachedDataVersionTag();

let written = false;
function writeCache() {
  if (written) return;
  written = true;
  if (v8.cachedDataVersionTag() !== versionTag)
    throw new Error('the V8 flags changed while warming the code cache: it would be rejected');
  writeFileSync(output, script.createCachedData());
}

if (configs.length > 0) {
  const program = script.runInThisContext();
  // as build/sea-launcher.mjs compiles the core's rare paths (a script of its own:
  // nothing of it goes into this cache)
  let table;
  const lazy = (name) => {
    if (lazySource === undefined) throw new Error(`the core imports ${name}: no --lazy script`);
    table ??= new Promise((resolve) =>
      new Script(readFileSync(lazySource, 'utf8'), { filename: 'core-lazy.js' }).runInThisContext()(
        require,
        url,
        resolve,
      ),
    );
    return table.then((t) => t[name]());
  };
  const write = { out: process.stdout.write, err: process.stderr.write };
  const exit = process.exit;
  try {
    // Output is dropped, but a write still calls back: `validate` and `plan` end
    // with process.exit once what they wrote is handed over (src/cli/run.ts),
    // which here must only return, for the next run.
    process.stdout.write = process.stderr.write = (_chunk, encoding, callback) => {
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') process.nextTick(done);
      return true;
    };
    let ended;
    process.exit = () => ended?.();
    process.stdout.setMaxListeners(0); // each run adds its EPIPE handlers
    process.stderr.setMaxListeners(0);
    for (const argv of warmUpRuns(configs)) {
      process.argv = [node, 'slipway', ...argv];
      // the core's function returns as its command starts: the run ends at its exit
      const exited = new Promise((resolve) => (ended = resolve));
      let timer;
      try {
        await program(require, url, lazy);
        await Promise.race([
          exited,
          new Promise(
            (_, reject) => (timer = setTimeout(() => reject('no end within 30 s'), 30_000)),
          ),
        ]);
      } catch (err) {
        // Only the cache is at stake here; the tests find the bug.
        write.err.call(
          process.stderr,
          `note: warming the code cache: slipway ${argv.join(' ')}: ${err}\n`,
        );
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    process.exit = exit;
    process.exitCode = 0;
  }
} else if (terminal) {
  await untilFirstFrame(script.runInThisContext(), terminal);
}
writeCache();
process.exit(0);

/** Run the program in a fake terminal until it first writes to it (or fails, or 10 s). */
async function untilFirstFrame(program, args) {
  const realStderr = process.stderr;
  const note = (what) => realStderr.write(`note: warming the code cache in a terminal: ${what}\n`);
  let drawn;
  const frame = new Promise((resolve) => (drawn = resolve));
  const stdout = Object.assign(
    new Writable({
      write(_chunk, _encoding, callback) {
        drawn();
        callback();
      },
    }),
    { isTTY: true, columns: 80, rows: 24 },
  );
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    setRawMode(mode) {
      this.isRaw = mode;
      return this;
    },
    ref() {
      return this;
    },
    unref() {
      return this;
    },
  });
  const stderr = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  for (const [name, value] of Object.entries({ stdin, stdout, stderr }))
    Object.defineProperty(process, name, { value, configurable: true, writable: true });
  // A program may tune V8 as it starts (slipway's TUI sets its heap flags): applied
  // here, they would change the flag hash in the cache and have it rejected.
  v8.setFlagsFromString = () => {};
  // A program that exits before drawing still leaves what it compiled.
  process.once('exit', writeCache);
  process.argv = [node, 'slipway', ...args];
  // The program's function may return before its first frame (Ink draws it from
  // the event loop): only a failure ends the wait early.
  const failed = program(require, url).then(
    () => new Promise(() => {}),
    (err) => note(`${err}`),
  );
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(note('no output within 10 s')), 10_000);
  });
  await Promise.race([frame, failed, timeout]);
  clearTimeout(timer);
  // The rest of the turn that wrote the frame (Ink enables raw mode, reads stdin).
  await new Promise((resolve) => setImmediate(resolve));
}
