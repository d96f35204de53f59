import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText, jsonSchema } from '../../src/schema/index.js';
import {
  sharedExamplesDir,
  upstreamExample,
  upstreamExampleNames,
  vendoredExamplesDir,
  repoRoot,
} from '../helpers/upstream.js';

describe('upstream examples', () => {
  it('has all three', () => {
    expect(upstreamExampleNames).toEqual([
      'advanced-illumos-config.json',
      'advanced-linux-config.json',
      'unified-provisioning.json',
    ]);
  });

  it.runIf(existsSync(sharedExamplesDir))('vendored copies are byte-identical to shared/', () => {
    for (const name of upstreamExampleNames) {
      expect(readFileSync(join(vendoredExamplesDir, name), 'utf8')).toBe(
        readFileSync(join(sharedExamplesDir, name), 'utf8'),
      );
    }
  });

  for (const name of upstreamExampleNames) {
    it(`${name} parses, with collections filled in`, () => {
      const r = parseConfigText(upstreamExample(name));
      expect(r.diagnostics).toEqual([]);
      expect(r.ok).toBe(true);
      const c = r.config!;
      expect(Array.isArray(c.storage.pools)).toBe(true);
      expect(Array.isArray(c.storage.zfs_datasets)).toBe(true);
      expect(Array.isArray(c.containers.jails)).toBe(true);
      expect(Array.isArray(c.scripts.always_scripts)).toBe(true);
    });
  }

  it('reads nested sysconfig as a unified config with its own defaults', () => {
    const c = parseConfigText(upstreamExample('advanced-illumos-config.json')).config!;
    const db = c.containers.zones.find((z) => z.name === 'db-zone')!;
    expect(db.sysconfig?.storage.zfs_datasets[0]?.name).toBe('tank/zones/db-zone/data');
    expect(db.sysconfig?.networking.interfaces).toEqual([]);
    expect(c.storage.zfs_datasets[2]?.dataset_type).toEqual({ volume: { size: '100G' } });
  });
});

describe('unknown keys', () => {
  it('are errors with the JSON path and a did-you-mean', () => {
    const r = parseConfigText(
      JSON.stringify({
        storage: { pools: [{ name: 'tank', topolgy: {} }] },
        containers: { zones: [{ name: 'z', zonepath: '/z', sysconfig: { sytem: {} } }] },
      }),
    );
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        path: 'storage.pools[0].topolgy',
        hint: expect.stringContaining('"topology"'),
      }),
    );
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({
        path: 'containers.zones[0].sysconfig.sytem',
        hint: expect.stringContaining('"system"'),
      }),
    );
  });

  it('list the allowed keys when nothing is close', () => {
    const r = parseConfigText('{"zzzzzz": 1}');
    expect(r.diagnostics[0]).toMatchObject({ path: 'zzzzzz', message: 'unknown key "zzzzzz"' });
    expect(r.diagnostics[0]!.hint).toContain('storage');
  });
});

describe('bad values', () => {
  it('name the path and the accepted values', () => {
    const r = parseConfigText('{"storage":{"pools":[{"name":"t","pool_type":"zfs"}]}}');
    expect(r.diagnostics[0]).toMatchObject({
      path: 'storage.pools[0].pool_type',
      severity: 'error',
    });
    expect(r.diagnostics[0]!.message).toContain('"zpool"');
  });

  it('union errors speak of the branch the user meant', () => {
    const r = parseConfigText(
      '{"storage":{"zfs_datasets":[{"name":"t/v","dataset_type":{"volume":{}}}]}}',
    );
    expect(r.diagnostics[0]).toMatchObject({
      path: 'storage.zfs_datasets[0].dataset_type.volume.size',
    });
    const s = parseConfigText('{"users":[{"name":"a","sudo":"yes"}]}');
    expect(s.diagnostics[0]).toMatchObject({ path: 'users[0].sudo' });
    expect(s.diagnostics[0]!.message).toContain('"unrestricted"');
  });

  it('JSON syntax errors report line and column', () => {
    const r = parseConfigText('{\n  "system": {\n    "hostname": "a",\n  }\n}');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ line: 4, severity: 'error' });
    expect(r.diagnostics[0]!.column).toBeGreaterThan(0);
  });

  it('diagnostics of schema errors carry a location in the text', () => {
    const r = parseConfigText(
      '{\n  "storage": {\n    "pools": [ { "name": "t", "pool_type": "zfs" } ]\n  }\n}',
    );
    expect(r.diagnostics[0]).toMatchObject({ line: 3 });
  });
});

describe('extensions', () => {
  it('accept special/dedup vdevs, root dataset properties, selectors and a container command', () => {
    const r = parseConfigText(
      JSON.stringify({
        storage: {
          pools: [
            {
              name: 'tank',
              filesystem_properties: { compression: 'lz4' },
              topology: {
                data: [
                  {
                    vdev_type: 'mirror',
                    devices: [{ serial: 'S1' }, { model: 'Samsung*', size_min: '100G' }],
                  },
                ],
                special: [{ vdev_type: 'mirror', devices: ['/dev/a', '/dev/b'] }],
                dedup: [{ vdev_type: 'stripe', devices: ['/dev/c'] }],
              },
            },
          ],
        },
        containers: {
          containers: [{ name: 'c', image: 'local/x', command: ['sleep', 'infinity'] }],
        },
      }),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.config!.storage.pools[0]!.topology!.special).toHaveLength(1);
  });
});

describe('JSON Schema', () => {
  it('is generated and matches the copy in assets/', () => {
    const schema = jsonSchema();
    expect(schema.type).toBe('object');
    const props = schema.properties as Record<string, unknown>;
    expect(Object.keys(props)).toEqual(
      expect.arrayContaining([
        'system',
        'storage',
        'networking',
        'software',
        'users',
        'scripts',
        'integrations',
        'containers',
        'power_state',
      ]),
    );
    const onDisk = JSON.parse(readFileSync(join(repoRoot, 'assets/slipway.schema.json'), 'utf8'));
    expect(onDisk).toEqual(schema);
  });
});
