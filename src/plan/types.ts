/**
 * A plan is data: ordered, dependency-annotated steps. Nothing here runs a
 * command; `src/apply` is the only code that does.
 */
import type { Diagnostic } from '../schema/diagnostics.js';
import type { PoolLayout } from '../platform/zfs.js';

export type Platform = 'illumos' | 'freebsd' | 'linux';
export const PLATFORMS: readonly Platform[] = ['illumos', 'freebsd', 'linux'];

export type ContainerRuntime = 'podman' | 'docker';

/** Where a step's argv runs. Nested configs compile to steps in a non-host context. */
export type StepContext =
  | { kind: 'host' }
  | { kind: 'zone'; name: string }
  | { kind: 'jail'; name: string }
  | { kind: 'container'; name: string; runtime: ContainerRuntime };

/**
 * How apply tells that a step is already done, before running it. Probes are
 * data so that apply can answer many of them with one bulk query (one
 * `zfs get -r` per pool, one `podman ps -a`, one listing of users per context).
 */
export type Probe =
  /**
   * `zpool status` shows the pool with `layout`'s vdevs (other vdevs: refused);
   * with `properties`, its root dataset also has these (the `zpool create -O`
   * ones), set on it: apply runs `zfs set` of those that differ on a pool that exists.
   */
  | {
      kind: 'pool-exists';
      pool: string;
      properties?: Record<string, string> | undefined;
      /** The vdevs the pool must have: one that exists with others is refused, never taken as done. */
      layout?: PoolLayout | undefined;
      /** Pool properties (`zpool create -o`) a pool that exists is compared with (`zpool set` of those that differ). */
      poolProperties?: Record<string, string> | undefined;
    }
  /**
   * The dataset (file system or volume) exists; with `properties`, each has
   * this value, set on the dataset itself (not inherited): apply runs `zfs set`
   * of those that differ on a dataset that exists.
   */
  | { kind: 'dataset-exists'; dataset: string; properties?: Record<string, string> | undefined }
  /** Every listed property has this value on the dataset (or pool root dataset). */
  | { kind: 'dataset-properties'; dataset: string; properties: Record<string, string> }
  /** `zfs list -t snapshot` shows it. */
  | { kind: 'snapshot-exists'; snapshot: string }
  /**
   * The container exists and is in the wanted state; with `spec` (the create
   * step), it was also created as the config says (compared with `inspect`).
   */
  | {
      kind: 'container-state';
      runtime: ContainerRuntime;
      name: string;
      state: 'exists' | 'created' | 'running' | 'stopped';
      spec?: ContainerSpec | undefined;
    }
  /** A container network exists. */
  | { kind: 'network-exists'; runtime: ContainerRuntime; name: string }
  /** The user exists in the step's context (one listing of /etc/passwd per context). */
  | { kind: 'user-exists'; user: string }
  /** The file in the step's context has exactly this content (sha256 of it). */
  | { kind: 'file-content'; path: string; sha256: string }
  /** An illumos zone is in at least this state (`zoneadm list -cp`). */
  | { kind: 'zone-state'; zone: string; state: 'configured' | 'installed' | 'running' }
  /** A FreeBSD jail is running (`jls`). */
  | { kind: 'jail-running'; jail: string }
  /** A command run in the step's context exits 0 when the step is done. */
  | { kind: 'command'; argv: string[]; description: string }
  /**
   * Only the journal knows (run-once scripts, one-off sends). Not done after
   * all when a step in `renewedBy` ran in this apply (a user created again
   * gets its password set again).
   */
  | { kind: 'journal'; description: string; renewedBy?: string[] }
  /** Idempotent or meant to run every time. */
  | { kind: 'always'; description: string };

/**
 * What a container's create command asks for, as apply compares it with
 * `podman|docker inspect` of a container that exists. Resources (`memory`,
 * `memorySwap`, `cpus`) can be changed in place (`update`); the rest needs the
 * container re-created. Environment values are sha256 hashes: a probe is shown
 * by `plan --json` and must never hold a secret.
 */
export interface ContainerSpec {
  image: string;
  /** Variable name → sha256 (hex) of its value. */
  env: Record<string, string>;
  ports: {
    hostIp?: string | undefined;
    hostPort: number;
    containerPort: number;
    protocol: string;
  }[];
  volumes: {
    type: 'bind' | 'volume' | 'tmpfs';
    source?: string | undefined;
    target: string;
    /** Mounted read-only (`ro` in the options); bind and named volumes. */
    readOnly?: boolean | undefined;
  }[];
  memory?: string | undefined;
  memorySwap?: string | undefined;
  cpus?: number | undefined;
  command?: string[] | undefined;
  hostname?: string | undefined;
  /** The named networks it is on, when the config names them (else the runtime's default). */
  networks?: string[] | undefined;
}

export interface Step {
  /** Stable across runs of the same config: the journal keys on it. */
  id: string;
  title: string;
  context: StepContext;
  /** The command, as argv (never a shell string), in the step's context. */
  argv: string[];
  /** A second command that reads argv's stdout (e.g. `zfs send | ssh … zfs receive`), run on the host. */
  pipeTo?: string[] | undefined;
  /** Content fed on stdin (files are streamed this way into containers). */
  stdin?: string | undefined;
  /** Extra environment for the command. */
  env?: Record<string, string> | undefined;
  /** Values that must never be shown: replaced by `<redacted>` everywhere. */
  secrets?: string[] | undefined;
  /**
   * Ids of the steps that must finish first. Steps may share one array (the
   * children of one dataset do): never changed once the step is added.
   */
  dependsOn: string[];
  /** Whether the step destroys data (disk labels, existing file systems). */
  destroys: boolean;
  /** Disks the step writes to: checked for in-use and identity before it runs. */
  devices?: string[] | undefined;
  probe: Probe;
  /** Exit codes that mean success besides 0 (IPS `pkg install` exits 4 when there is nothing to do). */
  okExitCodes?: number[] | undefined;
  /** Seconds before the command is stopped. */
  timeoutSeconds?: number | undefined;
}

export interface Plan {
  platform: Platform;
  steps: Step[];
  /** Plan-time findings: things the target platform cannot do, skipped sections. */
  diagnostics: Diagnostic[];
}
