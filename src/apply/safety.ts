/**
 * The pre-write safety check: before anything runs, every device that a step
 * which will run (its probe says "not done") writes to is checked against the
 * freshly detected disks — in use, identity changed, not a disk, named twice.
 * Any problem refuses the whole apply. File vdevs (paths outside /dev) are
 * not disks and pass.
 */
import { existsSync } from 'node:fs';
import type { Plan, Platform, Step } from '../plan/types.js';
import type { UnifiedConfig } from '../schema/index.js';
import type { Disk } from '../disks/types.js';
import { checkDevicesBeforeWrite, poolDevices, type DeviceProblem } from '../disks/guard.js';
import type { ProbeRunner } from '../disks/probe.js';
import type { Verdict } from './probes.js';
import type { RunResult } from './runner.js';

export interface DeviceRefusal extends DeviceProblem {
  /** The step that would have written to the device. */
  stepId: string;
  stepTitle: string;
}

/** Steps that write to devices and would run. */
export async function stepsWritingDevices(
  plan: Plan,
  probes: { check(step: Step): Promise<Verdict> },
): Promise<Step[]> {
  const out: Step[] = [];
  for (const s of plan.steps) {
    if (!s.devices?.length) continue;
    // done, or handled without the step's own command (a pool that exists and
    // only differs in its root's properties gets `zfs set`, which writes to no
    // disk), or refused: none of these writes to the step's devices
    const v = await probes.check(s);
    if (!v.done && v.fix === undefined && v.refuse === undefined) out.push(s);
  }
  return out;
}

/** Problems with the devices of these steps; empty when it is safe to write. Pure given `detected`. */
export function checkStepDevices(
  steps: readonly Step[],
  config: UnifiedConfig,
  detected: readonly Disk[],
): DeviceRefusal[] {
  const { recorded } = poolDevices(config);
  const out: DeviceRefusal[] = [];
  const seen = new Set<string>();
  for (const step of steps) {
    const devices = (step.devices ?? []).filter((d) => !seen.has(d));
    devices.forEach((d) => seen.add(d));
    for (const p of checkDevicesBeforeWrite(devices, recorded, detected))
      out.push({ ...p, stepId: step.id, stepTitle: step.title });
  }
  return out;
}

/**
 * Detect this machine's disks (the disks probe of the target platform), its
 * commands run by apply's own runner (same environment and timeout as the
 * disks command's; no second process library to load).
 */
export async function detectMachineDisks(
  platform: Platform,
  /** Told each `zpool status` the detection ran and its answer (for the probes to reuse). */
  onZpoolStatus?: (argv: readonly string[], result: RunResult) => void,
): Promise<Disk[]> {
  const [{ detectDisks }, { processRunner }, fs] = await loadDetection();
  const runner = processRunner();
  const probe: ProbeRunner = {
    async run(argv) {
      const r = await runner.run({ argv, timeoutMs: DETECT_TIMEOUT_MS });
      if (argv[0] === 'zpool' && argv[1] === 'status') onZpoolStatus?.(argv, r);
      return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
    },
    readFile: (path) => fs.readFile(path, 'utf8').catch(() => null),
    readDir: (path) => fs.readdir(path).catch(() => null),
    readLink: (path) => fs.readlink(path).catch(() => null),
    exists: existsSync,
  };
  return detectDisks(platform, probe);
}

const DETECT_TIMEOUT_MS = 60_000;

/**
 * The modules the detection needs. Loaded before anything else that loads
 * alongside (validation, the engine), the detection's first commands start as
 * soon as detectMachineDisks is called, and run while the rest loads.
 */
export function loadDetection() {
  return Promise.all([
    import('../disks/probe.js'),
    import('./runner.js'),
    import('node:fs/promises'),
  ]);
}
