import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilePlan, compilePlanForJson, PLATFORMS } from '../../src/plan/index.js';
import { DeferredStep } from '../../src/plan/builder.js';
import { planJsonChunks, planToJson, stepToJson } from '../../src/plan/describe.js';
import { shJoin } from '../../src/plan/shell.js';
import { loadConfigText } from '../../src/validate/load.js';
import { repoRoot, upstreamExample, upstreamExampleNames } from '../helpers/upstream.js';

/** What `plan --json` printed as one string before it was written in pieces. */
const whole = (plan: ReturnType<typeof compilePlan>, diagnostics: unknown[]) =>
  JSON.stringify({ ...planToJson(plan), diagnostics }) + '\n';

/** A pool, `datasets` datasets under 12 parents, and a container whose user's key is malformed. */
function bigConfig(datasets: number) {
  const children = (p: number) =>
    Array.from({ length: datasets / 12 - 1 }, (_, c) => ({
      name: `tank/p${p}/c${c}`,
      properties: { recordsize: '128K', 'com.example:n': String(c) },
      quota: '10G',
    }));
  return {
    storage: {
      pools: [
        {
          name: 'tank',
          topology: { data: [{ vdev_type: 'mirror', devices: ['/dev/sda', '/dev/sdb'] }] },
        },
      ],
      zfs_datasets: Array.from({ length: 12 }, (_, p) => ({
        name: `tank/p${p}`,
        properties: { mountpoint: `/srv/p${p}` },
        children: children(p),
      })),
    },
    containers: {
      containers: [
        {
          name: 'app',
          image: 'localhost/app:1',
          sysconfig: {
            users: [
              {
                name: 'app',
                authentication: {
                  ssh_keys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBench bench@x'],
                },
              },
            ],
          },
        },
      ],
    },
  };
}

describe('planJsonChunks', () => {
  it('is the plan JSON in pieces, over several chunks of steps, on every platform', async () => {
    // more steps than one chunk holds; the malformed key draws a warning whose
    // hint has a non-Latin-1 character (an ellipsis)
    const text = JSON.stringify(bigConfig(600));
    const loaded = await loadConfigText(text);
    expect(loaded.config).toBeDefined();
    expect(JSON.stringify(loaded.diagnostics)).toContain('\u2026');
    for (const platform of PLATFORMS) {
      const plan = compilePlan(loaded.config!, platform);
      expect(plan.steps.length).toBeGreaterThan(600);
      const chunks = [...planJsonChunks(plan, loaded.diagnostics)];
      expect(chunks.length).toBeGreaterThan(4);
      expect(chunks.join('')).toBe(whole(plan, loaded.diagnostics));
    }
  });

  it('is the same for a plan without steps and for an upstream example', async () => {
    const empty = compilePlan((await loadConfigText('{}')).config!, 'linux');
    expect(empty.steps).toEqual([]);
    expect([...planJsonChunks(empty, [])].join('')).toBe(whole(empty, []));
    const loaded = await loadConfigText(upstreamExample('advanced-illumos-config.json'));
    const plan = compilePlan(loaded.config!, 'illumos');
    expect([...planJsonChunks(plan, loaded.diagnostics)].join('')).toBe(
      whole(plan, loaded.diagnostics),
    );
  });
});

/** Tree datasets of every kind a `zfs create` step is made for (volumes, -p, fields). */
const treeKinds = {
  storage: {
    pools: [
      {
        name: 'tank',
        topology: { data: [{ vdev_type: 'mirror', devices: ['/dev/sda', '/dev/sdb'] }] },
      },
    ],
    zfs_datasets: [
      {
        name: 'tank/a',
        properties: { mountpoint: '/srv/a b', compression: 'zstd', 'org.x:note': "it's" },
        quota: '1T',
        reservation: '10G',
        children: [
          { name: 'tank/a/fs', properties: { quota: '5G' }, quota: '6G' },
          { name: 'tank/a/vol', dataset_type: { volume: { size: '8G' } } },
          {
            name: 'tank/a/vol2',
            dataset_type: { volume: { size: '4G' } },
            properties: { volblocksize: '16K', volsize: '2G', atime: 'off' },
            quota: '1G',
            reservation: '4G',
          },
        ],
      },
      { name: 'tank/deep/down/here', properties: { canmount: 'off' } },
      { name: 'tank/plain' },
      { name: 'tank/rsv', reservation: '1G' },
      { name: 'other/elsewhere', properties: { mountpoint: 'none' } },
    ],
  },
};

describe('compilePlanForJson', () => {
  const configs: [string, string][] = [
    ['tree kinds', JSON.stringify(treeKinds)],
    ['600 datasets', JSON.stringify(bigConfig(600))],
    ...upstreamExampleNames.map((n): [string, string] => [n, upstreamExample(n)]),
    ...readdirSync(join(repoRoot, 'assets/examples')).map((n): [string, string] => [
      n,
      readFileSync(join(repoRoot, 'assets/examples', n), 'utf8'),
    ]),
  ];

  it.each(configs)('writes what compilePlan does: %s', async (_name, text) => {
    const loaded = await loadConfigText(text);
    expect(loaded.config).toBeDefined();
    let deferred = 0;
    for (const platform of PLATFORMS) {
      const made = compilePlan(loaded.config!, platform);
      const kept = compilePlanForJson(loaded.config!, platform);
      expect(kept.diagnostics).toEqual(made.diagnostics);
      expect(kept.steps.map((s) => s.id)).toEqual(made.steps.map((s) => s.id));
      for (const s of kept.steps) {
        if (!(s instanceof DeferredStep)) continue;
        deferred++;
        // its JSON, made without the step, is the step's: the same keys in the same order
        expect(JSON.stringify(s.json())).toBe(JSON.stringify(stepToJson(s.step())));
        expect(s.step()).toEqual(made.steps.find((m) => m.id === s.id));
      }
      expect([...planJsonChunks(kept, loaded.diagnostics)].join('')).toBe(
        whole(made, loaded.diagnostics),
      );
    }
    if (text.includes('zfs_datasets')) expect(deferred).toBeGreaterThan(0);
  });
});

describe('shJoin', () => {
  it('joins safe words as they are and quotes every other word', () => {
    expect(shJoin(['zfs', 'create', '-o', 'quota=10G', 'tank/a'])).toBe(
      'zfs create -o quota=10G tank/a',
    );
    expect(shJoin(['a', ''])).toBe("a ''");
    expect(shJoin(['', 'a'])).toBe("'' a");
    expect(shJoin(['a', '', 'b'])).toBe("a '' b");
    expect(shJoin([''])).toBe("''");
    expect(shJoin([])).toBe('');
    expect(shJoin(['a b', 'c'])).toBe("'a b' c");
    expect(shJoin(['a', 'b c'])).toBe("a 'b c'");
    expect(shJoin(['a', ' '])).toBe("a ' '");
    expect(shJoin(['echo', "it's", '$HOME'])).toBe("echo 'it'\\''s' '$HOME'");
    expect(shJoin(['x\ny'])).toBe("'x\ny'");
  });
});
