import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The upstream examples are read from ../shared/upstream-examples/ (beside the
 * checkout, as CI lays it out). A verbatim copy in test/fixtures/upstream keeps
 * the suite runnable elsewhere; a test asserts the two are byte-identical.
 */
export const sharedExamplesDir = join(repoRoot, '../shared/upstream-examples');
export const vendoredExamplesDir = join(repoRoot, 'test/fixtures/upstream');
export const examplesDir = existsSync(sharedExamplesDir) ? sharedExamplesDir : vendoredExamplesDir;

export const upstreamExampleNames = readdirSync(vendoredExamplesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

export function upstreamExample(name: string): string {
  return readFileSync(join(examplesDir, name), 'utf8');
}
