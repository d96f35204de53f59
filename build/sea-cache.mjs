// Run by the node binary that is the base of dist/slipway (build/sea.mjs): writes the
// V8 code cache of the program script, which the launcher hands to vm.Script. A cache
// from another V8 version or with other V8 flags is rejected at run time, and the
// program is then compiled from source (slower, still correct).
import { readFileSync, writeFileSync } from 'node:fs';
import { Script } from 'node:vm';

const [source, output] = process.argv.slice(2);
const script = new Script(readFileSync(source, 'utf8'), { filename: 'slipway.js' });
writeFileSync(output, script.createCachedData());
