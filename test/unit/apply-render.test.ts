import { describe, expect, it } from 'vitest';
import { failureReport, ndjsonRenderer, ttyRenderer } from '../../src/apply/render.js';
import { checkStepDevices, stepsWritingDevices } from '../../src/apply/safety.js';
import type { Verdict } from '../../src/apply/probes.js';
import type { ApplyResult } from '../../src/apply/types.js';
import type { Disk } from '../../src/disks/types.js';
import type { Step } from '../../src/plan/types.js';
import { parseConfigText } from '../../src/schema/index.js';

const plain = {
  muted: (s: string) => s,
  accent: (s: string) => s,
  error: (s: string) => s,
  warning: (s: string) => s,
};

function sink() {
  let text = '';
  return { out: { write: (s: string) => (text += s) }, text: () => text };
}

describe('progress renderers', () => {
  it('ndjson: one event per line, exactly the event', () => {
    const s = sink();
    const r = ndjsonRenderer(s.out);
    const ev = {
      event: 'step' as const,
      id: 'a',
      title: 'A',
      context: { kind: 'host' as const },
      status: 'ok' as const,
      elapsed_ms: 5,
      output_tail: 'x\ny',
    };
    r(ev);
    r({ event: 'summary', changed: 1, skipped: 0, failed: 0, elapsed_ms: 9 });
    const lines = s.text().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toEqual(ev);
    expect(JSON.parse(lines[1]!)).toEqual({
      event: 'summary',
      changed: 1,
      skipped: 0,
      failed: 0,
      elapsed_ms: 9,
    });
  });

  it('tty: a line per finished step with its context, the failed output, a summary', () => {
    const s = sink();
    const r = ttyRenderer(s.out, plain, 2);
    const base = { event: 'step' as const, elapsed_ms: 1200, output_tail: '' };
    r({
      ...base,
      id: 'u',
      title: 'Create user bob',
      context: { kind: 'container', name: 'web', runtime: 'podman' },
      status: 'running',
    });
    r({
      ...base,
      id: 'u',
      title: 'Create user bob',
      context: { kind: 'container', name: 'web', runtime: 'podman' },
      status: 'ok',
    });
    r({
      ...base,
      id: 'p',
      title: 'Create pool',
      context: { kind: 'host' },
      status: 'failed',
      output_tail: 'no such device',
    });
    r({ event: 'summary', changed: 1, skipped: 0, failed: 1, elapsed_ms: 2500 });
    const t = s.text();
    expect(t).toContain('[1/2] ✓ Create user bob [container web] 1.2 s');
    expect(t).toContain('[2/2] ✗ Create pool');
    expect(t).toContain('│ no such device');
    expect(t).toContain('1 changed, 0 already done, 1 failed in 2.5 s');
  });

  it('the failure report names the command, exit code, stderr and how to resume', () => {
    const result: ApplyResult = {
      summary: { event: 'summary', changed: 0, skipped: 0, failed: 1, elapsed_ms: 1 },
      failures: [
        {
          id: 'pool:tank',
          title: 'Create pool tank',
          context: { kind: 'host' },
          command: 'zpool create tank /dev/sdb',
          exitCode: 1,
          stderrTail: 'cannot create tank\nno such device',
        },
      ],
      interrupted: false,
      notRun: ['dataset:tank/a'],
    };
    const t = failureReport(result, plain, 'slipway apply c.json --yes', 'c.json.journal');
    expect(t).toContain('failed: Create pool tank (step pool:tank)');
    expect(t).toContain('command: zpool create tank /dev/sdb');
    expect(t).toContain('exit code 1');
    expect(t).toContain('    no such device');
    expect(t).toContain('1 step not run because of the failure');
    expect(t).toContain(
      'fix the cause above, then run the same command again:\n  slipway apply c.json --yes',
    );
  });
});

describe('device safety', () => {
  const disk = (name: string, inUse: Disk['in_use'] = []): Disk => ({
    name,
    path: `/dev/${name}`,
    size_bytes: 1 << 30,
    model: null,
    vendor: null,
    serial: `S-${name}`,
    wwn: null,
    by_id: [],
    transport: 'loop',
    rotational: false,
    ssd: true,
    removable: false,
    in_use: inUse,
  });
  const step = (devices: string[]): Step => ({
    id: 'pool:tank',
    title: 'Create pool tank',
    context: { kind: 'host' },
    argv: ['zpool', 'create', 'tank', ...devices],
    dependsOn: [],
    destroys: true,
    devices,
    probe: { kind: 'pool-exists', pool: 'tank' },
  });
  const config = (devices: unknown[]) => {
    const r = parseConfigText(JSON.stringify({ storage: { pools: [{ name: 'tank', devices }] } }));
    if (!r.ok) throw new Error('bad test config');
    return r.config;
  };

  it('refuses an in-use disk, accepts free disks and file vdevs', () => {
    const disks = [disk('loop1'), disk('loop2', [{ reason: 'mounted', detail: '/mnt/busy' }])];
    const free = checkStepDevices(
      [step(['/dev/loop1', '/tmp/file0'])],
      config(['/dev/loop1', '/tmp/file0']),
      disks,
    );
    expect(free).toEqual([]);
    const busy = checkStepDevices(
      [step(['/dev/loop1', '/dev/loop2'])],
      config(['/dev/loop1', '/dev/loop2']),
      disks,
    );
    expect(busy).toHaveLength(1);
    expect(busy[0]).toMatchObject({ device: '/dev/loop2', kind: 'in-use', stepId: 'pool:tank' });
    expect(busy[0]!.message).toContain('/mnt/busy');
  });

  it('refuses a disk whose recorded identity changed', () => {
    const disks = [disk('loop1')];
    const r = checkStepDevices(
      [step(['/dev/loop1'])],
      config([{ path: '/dev/loop1', serial: 'S-other' }]),
      disks,
    );
    expect(r.map((x) => x.kind)).toEqual(['identity-mismatch']);
  });
});

describe('which steps write to their devices', () => {
  it('only those that run their own command: not done, not fixed in place, not refused', async () => {
    const step = (id: string): Step => ({
      id,
      title: id,
      context: { kind: 'host' },
      argv: ['zpool', 'create', id],
      dependsOn: [],
      destroys: true,
      devices: ['/dev/sdb'],
      probe: { kind: 'pool-exists', pool: id },
    });
    const verdicts: Record<string, Verdict> = {
      done: { done: true },
      run: { done: false },
      fixed: { done: false, fix: { argvs: [['zfs', 'set', 'atime=off', 'fixed']], title: 'set' } },
      refused: { done: false, refuse: 'exists but differs' },
    };
    const steps = Object.keys(verdicts).map(step);
    const noDevices = { ...step('nodev'), devices: [] };
    const writing = await stepsWritingDevices(
      { platform: 'linux', steps: [...steps, noDevices], diagnostics: [] },
      { check: async (s) => verdicts[s.id] ?? { done: false } },
    );
    expect(writing.map((s) => s.id)).toEqual(['run']);
  });
});
