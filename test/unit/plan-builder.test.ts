/**
 * PlanBuilder's ids: unique, dependencies on earlier steps only, including ids
 * that a compiler's own index holds instead of the builder (holdIds: the tree
 * datasets' `zfs create` steps, whose ids the storage context's datasetStep has).
 */
import { describe, expect, it } from 'vitest';
import { DeferredStep, HOST, PlanBuilder, type NewStep } from '../../src/plan/builder.js';
import { stepToJson, type StepJson } from '../../src/plan/describe.js';
import { compilePlan, compilePlanForJson } from '../../src/plan/index.js';
import type { UnifiedConfig } from '../../src/schema/index.js';
import { readConfigQuickly } from '../../src/schema/read.js';

class Made extends DeferredStep {
  readonly context = HOST;
  constructor(
    readonly id: string,
    readonly dependsOn: string[] = [],
  ) {
    super();
  }
  newStep(): NewStep {
    return {
      id: this.id,
      title: `step ${this.id}`,
      argv: ['true'],
      probe: { kind: 'always', description: 'test' },
      dependsOn: this.dependsOn,
    };
  }
  json(): StepJson {
    return stepToJson(this.step());
  }
}

/** A builder whose holder answers for the ids in `held` (added to it after each step, as datasetStep is). */
function builder(defer: boolean) {
  const b = new PlanBuilder('linux', defer);
  const held = new Set<string>();
  b.holdIds((id) => held.has(id));
  const addHeld = (id: string, deps: string[] = []) => {
    b.addDeferred(new Made(id, deps), true);
    held.add(id);
  };
  return { b, addHeld };
}

describe('PlanBuilder ids held elsewhere', () => {
  for (const defer of [false, true]) {
    it(`${defer ? 'deferring' : 'making'}: held ids count as taken, for duplicates and dependencies`, () => {
      const { b, addHeld } = builder(defer);
      b.add({
        id: 'pool:tank',
        title: 'pool',
        argv: ['true'],
        probe: { kind: 'always', description: '' },
        context: HOST,
      });
      addHeld('dataset:tank/a', ['pool:tank']);
      expect(b.has('dataset:tank/a')).toBe(true);
      // a dependency on a held id is on a known step
      addHeld('dataset:tank/a/b', ['dataset:tank/a']);
      b.addDeferred(new Made('snap', ['dataset:tank/a/b']));
      // a held id cannot be taken again, held or not
      expect(() => addHeld('dataset:tank/a')).toThrow(/duplicate step id dataset:tank\/a/);
      expect(() =>
        b.add({
          id: 'dataset:tank/a',
          title: 'x',
          argv: ['true'],
          probe: { kind: 'always', description: '' },
          context: HOST,
        }),
      ).toThrow(/duplicate step id dataset:tank\/a/);
      // nor can an id the builder holds be added as held
      expect(() => addHeld('pool:tank')).toThrow(/duplicate step id pool:tank/);
      // dependencies must be earlier steps
      expect(() => addHeld('dataset:tank/c', ['dataset:tank/later'])).toThrow(
        /depends on unknown or later step dataset:tank\/later/,
      );
      expect(b.steps.map((s) => s.id)).toEqual([
        'pool:tank',
        'dataset:tank/a',
        'dataset:tank/a/b',
        'snap',
      ]);
    });
  }

  it('a held step needs a holder', () => {
    const b = new PlanBuilder('linux', true);
    expect(() => b.addDeferred(new Made('dataset:x'), true)).toThrow(/no holder of step ids/);
  });
});

describe('tree datasets: ids held by the storage context', () => {
  const config = (json: unknown): UnifiedConfig => {
    const r = readConfigQuickly(JSON.stringify(json));
    if (!r.parsed?.ok) throw new Error('test config does not read');
    return r.parsed.config;
  };
  it('a zfs file system of a name the tree creates gets its own id; both plans agree', () => {
    const c = config({
      storage: {
        pools: [
          {
            name: 'tank',
            topology: { data: [{ vdev_type: 'mirror', devices: ['/dev/sda', '/dev/sdb'] }] },
          },
        ],
        zfs_datasets: [{ name: 'tank/a', children: [{ name: 'tank/a/b' }] }],
        filesystems: [
          { device: 'tank/a/b', fstype: 'zfs', format: true, options: { compression: 'lz4' } },
          { device: 'tank/c', fstype: 'zfs', format: true },
        ],
      },
    });
    const made = compilePlan(c, 'linux');
    const ids = made.steps.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('dataset:tank/a');
    expect(ids).toContain('dataset:tank/a/b');
    expect(ids).toContain('dataset:tank/c');
    const b = made.steps.find((s) => s.id === 'zfs-set:tank/a/b');
    expect(b?.dependsOn).toEqual(['dataset:tank/a/b']);
    const deferred = compilePlanForJson(c, 'linux');
    expect(deferred.steps.map((s) => s.id)).toEqual(ids);
  });
});
