import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfigText } from '../../src/validate/check.js';
import { compilePlan } from '../../src/plan/index.js';
import { PLATFORMS } from '../../src/plan/types.js';
import { repoRoot } from '../helpers/upstream.js';

const dir = join(repoRoot, 'assets/examples');
const names = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('example configs in assets/', () => {
  it('exist', () => expect(names.length).toBeGreaterThanOrEqual(3));
  for (const name of names) {
    const text = readFileSync(join(dir, name), 'utf8');
    it(`${name} carries $schema`, () => {
      expect(JSON.parse(text).$schema).toBe('../slipway.schema.json');
    });
    it(`${name} validates without errors and plans on every platform`, () => {
      const r = checkConfigText(text);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      for (const p of PLATFORMS) {
        const plan = compilePlan(r.config!, p);
        expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      }
    });
  }
});
