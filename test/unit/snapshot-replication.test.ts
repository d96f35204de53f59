import { describe, expect, it } from 'vitest';
import { capabilitiesFromUsage, parseUsageOptions } from '../../src/snapshot/capabilities.js';
import {
  chooseForm,
  planDataset,
  receiveArgv,
  sendArgv,
  targetDatasetFor,
  type DatasetAction,
} from '../../src/snapshot/replication.js';
import { selectRetention, type ListedSnapshot } from '../../src/snapshot/retention.js';
import { replicationTargets } from '../../src/snapshot/targets.js';
import { ReplicationConfig } from '../../src/schema/config.js';
import { parseProbe, PROBE_SCRIPT } from '../../src/snapshot/run.js';
import { shQuote } from '../../src/plan/shell.js';
import { SshSession } from '../../src/snapshot/exec.js';

// What `zfs send` / `zfs receive` without arguments print (the usage part).
const ZFS_FUSE_SEND = `missing snapshot argument
usage:
\tsend [-RDp] [-[iI] snapshot] <snapshot>

For the property list, run: zfs set|get
`;
const ZFS_FUSE_RECEIVE = `missing snapshot argument
usage:
\treceive [-vnF] <filesystem|volume|snapshot>
\treceive [-vnF] -d <filesystem>

For the property list, run: zfs set|get
`;
const OPENZFS_SEND = `missing snapshot argument
usage:
\tsend [-DLPbcehnpsVvw] [-i|-I snapshot]
\t     [-R [-X dataset[,dataset]...]]     <snapshot>
\tsend [-DnVvPLecw] [-i snapshot|filesystem|bookmark] <snapshot>
\tsend [-DnPpVvLecwb] [-i|-I snapshot] --redact <bookmark> <snapshot>
\tsend [-nVvPe] -t <receive_resume_token>
\tsend [-PnVv] --saved filesystem

For the property list, run: zfs set|get
`;
const OPENZFS_RECEIVE = `missing snapshot argument
usage:
\treceive [-vMnsFhu] [-o <property>=<value>] ... [-x <property>] ...
\t    <filesystem|volume|snapshot>
\treceive [-vMnsFhu] [-o <property>=<value>] ... [-x <property>] ... 
\t    [-d | -e] <filesystem>
\treceive -A <filesystem|volume>

For the property list, run: zfs set|get
`;

type Incremental = Extract<DatasetAction, { kind: 'incremental' }>;

const zfsFuse = capabilitiesFromUsage(ZFS_FUSE_SEND, ZFS_FUSE_RECEIVE);
const openzfs = capabilitiesFromUsage(OPENZFS_SEND, OPENZFS_RECEIVE);

describe('capability detection from usage text', () => {
  it('reads zfs-fuse: send -R -D -p -i -I; receive without -u or -x', () => {
    expect([...zfsFuse.send].sort()).toEqual(['D', 'I', 'R', 'i', 'p']);
    expect(zfsFuse.receive.has('u')).toBe(false);
    expect(zfsFuse.receive.has('x')).toBe(false);
    expect(zfsFuse.receive.has('F')).toBe(true);
  });

  it('reads OpenZFS: receive -u and -x, send -p and -I', () => {
    for (const f of ['u', 'x', 'o', 'F', 'd', 'e', 'A']) expect(openzfs.receive.has(f)).toBe(true);
    for (const f of ['p', 'I', 'i', 'R', 'X', 't']) expect(openzfs.send.has(f)).toBe(true);
    // "--redact" and "--saved" are long options, not -r/-s letters from them
    expect(openzfs.send.has('r')).toBe(false);
  });

  it('finds nothing in text that is not a usage', () => {
    expect(parseUsageOptions('bash: zfs: command not found', 'receive').size).toBe(0);
  });
});

describe('form selection', () => {
  it('zfs-fuse target with excluded properties: no -p (nothing excluded can be sent), no -u, no -x', () => {
    const form = chooseForm(zfsFuse, zfsFuse, ['com.example:secret']);
    expect(form).toMatchObject({ sendProperties: false, excludeFlags: false, noMount: false });
    expect(form.notes.join('\n')).toMatch(/no -x: properties are not sent/);
    const action: Incremental = {
      kind: 'incremental',
      base: 'a',
      snapshot: 'b',
      rollback: [],
      force: false,
    };
    expect(sendArgv('tank/data', action, form)).toEqual([
      'zfs',
      'send',
      '-I',
      'tank/data@a',
      'tank/data@b',
    ]);
    expect(receiveArgv('backup/data', action, form, ['com.example:secret'])).toEqual([
      'zfs',
      'receive',
      'backup/data',
    ]);
  });

  it('zfs-fuse without exclusions sends properties (-p)', () => {
    expect(chooseForm(zfsFuse, zfsFuse, []).sendProperties).toBe(true);
  });

  it('OpenZFS target: -p with receive -u and one -x per excluded property', () => {
    const form = chooseForm(openzfs, openzfs, ['mountpoint', 'com.example:secret']);
    expect(form).toMatchObject({ sendProperties: true, excludeFlags: true, noMount: true });
    expect(form.notes).toEqual([]);
    const full = { kind: 'full', snapshot: 'b', force: false } as const;
    expect(sendArgv('tank/data', full, form)).toEqual(['zfs', 'send', '-p', 'tank/data@b']);
    expect(receiveArgv('backup/data', full, form, ['mountpoint', 'com.example:secret'])).toEqual([
      'zfs',
      'receive',
      '-u',
      '-x',
      'mountpoint',
      '-x',
      'com.example:secret',
      'backup/data',
    ]);
  });

  it('an OpenZFS source sending to a zfs-fuse target follows the target', () => {
    const form = chooseForm(openzfs, zfsFuse, ['mountpoint']);
    expect(form.sendProperties).toBe(false);
    expect(form.noMount).toBe(false);
  });

  it('a sender with only -i sends from the base to the newest', () => {
    const old = capabilitiesFromUsage(
      'usage:\n\tsend [-i snapshot] <snapshot>\n',
      ZFS_FUSE_RECEIVE,
    );
    const form = chooseForm(old, zfsFuse, []);
    expect(form.incrementalFlag).toBe('-i');
    expect(form.sendProperties).toBe(false);
  });

  it('overwrite adds -F', () => {
    const form = chooseForm(openzfs, openzfs, []);
    const action: Incremental = {
      kind: 'incremental',
      base: 'a',
      snapshot: 'b',
      rollback: ['x'],
      force: true,
    };
    expect(receiveArgv('b/d', action, form, [])).toEqual(['zfs', 'receive', '-u', '-F', 'b/d']);
  });
});

describe('what to send to a target', () => {
  it('the first time: a full send of the newest', () => {
    expect(planDataset(['a', 'b'], false, [], false)).toEqual({
      kind: 'full',
      snapshot: 'b',
      force: false,
    });
  });

  it('afterwards: incremental from the newest snapshot both sides have', () => {
    expect(planDataset(['a', 'b', 'c', 'd'], true, ['a', 'b'], false)).toMatchObject({
      kind: 'incremental',
      base: 'b',
      snapshot: 'd',
      rollback: [],
    });
    // the source pruned a, the target still has it: b is still the base
    expect(planDataset(['b', 'c'], true, ['a', 'b'], false)).toMatchObject({
      kind: 'incremental',
      base: 'b',
    });
  });

  it('up to date when the target has the newest', () => {
    expect(planDataset(['a', 'b'], true, ['a', 'b'], false)).toEqual({
      kind: 'up-to-date',
      base: 'b',
    });
  });

  it('a target with snapshots newer than the base is diverged, unless overwrite_diverged', () => {
    const d = planDataset(['a', 'b', 'c'], true, ['a', 'b', 'rogue'], false);
    expect(d).toMatchObject({ kind: 'diverged', base: 'b', newer: ['rogue'] });
    expect(planDataset(['a', 'b', 'c'], true, ['a', 'b', 'rogue'], true)).toMatchObject({
      kind: 'incremental',
      base: 'b',
      snapshot: 'c',
      rollback: ['rogue'],
      force: true,
    });
    expect(planDataset(['a', 'b'], true, ['a', 'b', 'rogue'], true)).toEqual({
      kind: 'rollback',
      base: 'b',
      rollback: ['rogue'],
    });
  });

  it('no common snapshot is never overwritten', () => {
    expect(planDataset(['x', 'y'], true, ['a'], true)).toMatchObject({ kind: 'diverged' });
    expect(planDataset(['x'], true, [], false)).toMatchObject({ kind: 'diverged' });
    expect(planDataset(['x'], true, [], true)).toEqual({
      kind: 'full',
      snapshot: 'x',
      force: true,
    });
  });

  it('nothing to send without source snapshots', () => {
    expect(planDataset([], false, [], false).kind).toBe('nothing-to-send');
  });

  it('maps children under the target', () => {
    expect(targetDatasetFor('tank/data', 'tank/data', 'bk/data')).toBe('bk/data');
    expect(targetDatasetFor('tank/data/a/b', 'tank/data', 'bk/d')).toBe('bk/d/a/b');
  });
});

describe('retention', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const snap = (name: string, policy: string | undefined, iso?: string): ListedSnapshot => ({
    name,
    policy,
    time: iso ? new Date(iso) : undefined,
  });
  const list = [
    snap('manual', undefined),
    snap('h08', 'hourly', '2026-11-25T08:00:00Z'),
    snap('other', 'daily', '2026-11-20T08:00:00Z'),
    snap('h09', 'hourly', '2026-11-25T09:00:00Z'),
    snap('h10', 'hourly', '2026-11-25T10:00:00Z'),
    snap('h11', 'hourly', '2026-11-25T11:00:00Z'),
  ];
  const pruned = (d: ReturnType<typeof selectRetention>) =>
    d.filter((x) => x.action === 'prune').map((x) => x.name);

  it('keeps the newest N of the policy and never touches other snapshots', () => {
    const d = selectRetention(list, 'hourly', { keepLast: 2 }, now);
    expect(pruned(d)).toEqual(['h08', 'h09']);
    expect(d.map((x) => x.name)).not.toContain('manual');
    expect(d.map((x) => x.name)).not.toContain('other');
  });

  it('prunes by age relative to now', () => {
    expect(pruned(selectRetention(list, 'hourly', { maxAgeSeconds: 2.5 * 3600 }, now))).toEqual([
      'h08',
      'h09',
    ]);
  });

  it('never prunes the newest common base of a target', () => {
    const d = selectRetention(
      list,
      'hourly',
      { keepLast: 1 },
      now,
      new Map([['h09', 'newest common base of root@b:bk/data']]),
    );
    expect(pruned(d)).toEqual(['h08', 'h10']);
    expect(d.find((x) => x.name === 'h09')).toMatchObject({
      action: 'keep',
      reason: expect.stringMatching(/newest common base/),
    });
  });

  it('never prunes the newest of the policy, however old', () => {
    expect(pruned(selectRetention(list, 'hourly', { maxAgeSeconds: 60 }, now))).toEqual([
      'h08',
      'h09',
      'h10',
    ]);
  });

  it('keeps a snapshot without a recorded time when pruning by age', () => {
    const d = selectRetention(
      [snap('x', 'p'), snap('y', 'p', '2026-11-25T11:00:00Z')],
      'p',
      {
        maxAgeSeconds: 1,
      },
      now,
    );
    expect(pruned(d)).toEqual([]);
  });
});

describe('targets', () => {
  const rep = (o: object) => ReplicationConfig.parse({ source_dataset: 'tank/data', ...o });

  it('resolves "user@host:dataset", "dataset" with ssh_config, and lists', () => {
    const { targets, problems } = replicationTargets(
      rep({
        target: 'backup@nas1:bk/data',
        targets: [
          {
            target: 'bk2/data',
            ssh_config: { user: 'root', host: 'nas2', port: 2222, key_path: '/k' },
          },
          { target: '[fe80::1]:bk3/data' },
        ],
      }),
      'r',
    );
    expect(problems).toEqual([]);
    expect(targets.map((t) => [t.user, t.host, t.port, t.dataset, t.keyPath])).toEqual([
      ['backup', 'nas1', undefined, 'bk/data', undefined],
      ['root', 'nas2', 2222, 'bk2/data', '/k'],
      [undefined, 'fe80::1', undefined, 'bk3/data', undefined],
    ]);
    expect(new Set(targets.map((t) => t.key)).size).toBe(3);
  });

  it('reports a target without host and a missing destination', () => {
    expect(replicationTargets(rep({ target: 'bk/data' }), 'r').problems[0]?.message).toMatch(
      /names no host/,
    );
    expect(replicationTargets(rep({}), 'r').problems[0]?.message).toMatch(/needs a destination/);
  });

  it('connects to ssh_config.host when the target names a short host too (upstream example)', () => {
    const { targets, problems } = replicationTargets(
      rep({
        target: 'backup-server:backup/databases',
        ssh_config: { user: 'zfs', host: 'backup-server.example.com' },
      }),
      'r',
    );
    expect(problems).toEqual([]);
    expect(targets[0]).toMatchObject({
      host: 'backup-server.example.com',
      user: 'zfs',
      dataset: 'backup/databases',
    });
  });
});

describe('remote commands', () => {
  it('quote every remote argv element and share one control socket', () => {
    const { targets } = replicationTargets(
      ReplicationConfig.parse({ source_dataset: 's', target: "h:bk/it's" }),
      'r',
    );
    const s = new SshSession(targets[0]!, { configFile: '/etc/x' });
    const argv = s.remoteArgv(['zfs', 'receive', "bk/it's"]);
    expect(argv.slice(-4)).toEqual(['h', '--', 'zfs', 'receive', shQuote("bk/it's")].slice(-4));
    expect(argv).toContain('ControlMaster=no');
    expect(argv.find((a) => a.startsWith('ControlPath='))).toMatch(/slipway-ssh-/);
    expect(argv.slice(0, 3)).toEqual(['ssh', '-F', '/etc/x']);
    void s.close();
  });

  it('split the probe answer into usage and listing', () => {
    expect(PROBE_SCRIPT).toContain('"$1"');
    const p = parseProbe(
      `usage:\n\treceive [-vnF] <x>\n@@slipway-list\nbk/d\nbk/d@a\n@@slipway-exit 0\n`,
    );
    expect(p?.usage).toMatch(/receive/);
    expect(p?.listing).toEqual({ exitCode: 0, stdout: 'bk/d\nbk/d@a\n' });
    expect(parseProbe('bash: sh: not found')).toBeUndefined();
  });
});

describe('scheduled work of a config', () => {
  it('policies are the entries with a schedule; replications follow them or their own schedule', async () => {
    const { scheduledWork } = await import('../../src/snapshot/policy.js');
    const { UnifiedConfig } = await import('../../src/schema/config.js');
    const work = scheduledWork(
      UnifiedConfig.parse({
        storage: {
          zfs_snapshots: [
            { dataset: 'tank', name: 'all', recursive: true, schedule: 'daily' },
            { dataset: 'tank/a', name: 'once' },
            {
              dataset: 'tank/b',
              name: 'b',
              schedule: 'hourly',
              retention: { keep_last: 5, max_age: '1w' },
            },
          ],
          zfs_replication: [
            { source_dataset: 'tank/a', target: 'h:bk/a' },
            { source_dataset: 'pool2/x', target: 'h:bk/x' },
            { source_dataset: 'pool2/y', target: 'h:bk/y', schedule: 'weekly' },
            { source_dataset: 'tank/b', target: 'h:bk/b' },
          ],
        },
      }),
    );
    expect(work.policies.map((p) => [p.name, p.format, p.retention])).toEqual([
      ['all', 'all-%Y%m%d-%H%M', { keepLast: undefined, maxAgeSeconds: undefined }],
      ['b', 'b-%Y%m%d-%H%M', { keepLast: 5, maxAgeSeconds: 7 * 86400 }],
    ]);
    // tank/a is under the recursive "all"; pool2/x has neither a policy nor a schedule
    expect(work.replications.map((r) => [r.source, r.policies, r.schedule?.source])).toEqual([
      ['tank/a', ['all'], undefined],
      ['pool2/y', [], 'weekly'],
      ['tank/b', ['all', 'b'], undefined],
    ]);
  });
});
