import { describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../src/plan/types.js';
import { checkConfigText } from '../../src/validate/check.js';
import { upstreamExample, upstreamExampleNames } from '../helpers/upstream.js';

const moveToRoot = (pool: number, name: string) => ({
  path: `storage.pools[${pool}].properties.${name}`,
  message: expect.stringMatching(
    new RegExp(`"${name}" is a file-system property.*root dataset.*-O ${name}=`),
  ),
  hint: `move it to storage.pools[${pool}].filesystem_properties`,
});
const dedup = (path: string) => ({
  path,
  message: 'unknown ZFS property "deduplication"',
  hint: expect.stringMatching(/^did you mean "dedup"\?/),
});
const placeholderKey = (path: string) => ({
  path,
  message: expect.stringMatching(/not valid base64/),
});
const placeholderHash = (path: string) => ({
  path,
  message: expect.stringMatching(/\$6\$ password hash has 7 characters/),
});

/** Exactly the upstream mistakes, each a warning with a fix, and nothing else. */
const expected: Record<string, object[]> = {
  'advanced-illumos-config.json': [
    moveToRoot(0, 'compression'),
    moveToRoot(0, 'atime'),
    moveToRoot(0, 'redundant_metadata'),
    moveToRoot(1, 'compression'),
    dedup('storage.pools[1].properties.deduplication'),
    moveToRoot(1, 'atime'),
    dedup('storage.zfs_datasets[1].children[1].properties.deduplication'),
    placeholderHash('users[0].authentication.password.hash'),
    placeholderKey('users[0].authentication.ssh_keys[0]'),
    placeholderKey('containers.zones[0].sysconfig.users[0].authentication.ssh_keys[0]'),
    placeholderKey('containers.zones[1].sysconfig.users[1].authentication.ssh_keys[0]'),
  ],
  'advanced-linux-config.json': [
    placeholderHash('users[0].authentication.password.hash'),
    placeholderKey('users[0].authentication.ssh_keys[0]'),
  ],
  'unified-provisioning.json': [
    { path: 'storage.pools[0].devices', message: expect.stringMatching(/become a stripe/) },
    moveToRoot(0, 'compression'),
    moveToRoot(0, 'atime'),
    placeholderHash('users[0].authentication.password.hash'),
    placeholderKey('users[0].authentication.ssh_keys[0]'),
    placeholderKey('users[0].authentication.ssh_keys[1]'),
    placeholderKey('users[1].authentication.ssh_keys[0]'),
    placeholderKey('containers.zones[0].sysconfig.users[0].authentication.ssh_keys[0]'),
  ],
};

describe('upstream examples', () => {
  for (const name of upstreamExampleNames) {
    it(`${name}: no errors; its mistakes are warnings with fixes, at their paths`, () => {
      const r = checkConfigText(upstreamExample(name));
      expect(r.ok).toBe(true);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      // exactly these warnings (in document order, which is how they are printed)
      expect(r.diagnostics).toHaveLength(expected[name]!.length);
      expect(r.diagnostics).toEqual(
        expect.arrayContaining(
          expected[name]!.map((e) =>
            expect.objectContaining({ severity: 'warning', hint: expect.any(String), ...e }),
          ),
        ),
      );
      const lines = r.diagnostics.map((d) => d.line ?? Infinity);
      expect(lines).toEqual([...lines].sort((a, b) => a - b));
      for (const d of r.diagnostics) expect(d.hint!.length).toBeGreaterThan(5);
    });

    for (const platform of PLATFORMS)
      it(`${name}: no errors for --platform ${platform}`, () => {
        const r = checkConfigText(upstreamExample(name), { platform });
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      });
  }

  it('the illumos example is clean for illumos apart from the upstream mistakes', () => {
    const r = checkConfigText(upstreamExample('advanced-illumos-config.json'), {
      platform: 'illumos',
    });
    expect(r.diagnostics).toHaveLength(expected['advanced-illumos-config.json']!.length);
  });

  it('the Linux example warns that its containers are ignored on illumos', () => {
    const r = checkConfigText(upstreamExample('advanced-linux-config.json'), {
      platform: 'illumos',
    });
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        path: 'containers.containers',
        message: expect.stringMatching(/ignored on illumos/),
      }),
    );
  });

  it('diagnostics carry a line number in the file', () => {
    const r = checkConfigText(upstreamExample('advanced-illumos-config.json'));
    const d = r.diagnostics.find((x) => x.path === 'storage.pools[1].properties.deduplication')!;
    const lines = upstreamExample('advanced-illumos-config.json').split('\n');
    expect(d.line).toBeDefined();
    expect(lines[d.line! - 1]).toContain('"deduplication"');
  });
});
