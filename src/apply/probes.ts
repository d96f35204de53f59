/**
 * Answering step probes ("is this step already done?") in bulk, cached per run:
 * one `zpool status` for all pools and their vdevs, one `zfs get -r` per pool for every dataset,
 * property and snapshot probe of that pool (values and their sources), one
 * `podman|docker container inspect` per runtime for every container the plan
 * names, and ONE command per container (zone, jail) for everything probed
 * inside it: its users, the hashes of the files the plan writes there, and the
 * exit codes of the plan's check commands. Running a step invalidates the
 * answers it can change.
 *
 * A probe answers more than yes/no (`check`): a pool that exists with other
 * vdevs is refused (see pool-layout.ts); a dataset or pool root that
 * exists with other property values gets `zfs set` of exactly those; a
 * container that exists with other resource limits gets `update`, on other
 * networks than the config names `network connect|disconnect`; a container
 * that exists but was created with other ports, volumes, image, environment or
 * command is refused with what differs (re-creating it is the operator's call).
 *
 * Probes only read. A probe whose query fails (the pool or container does not
 * exist yet, the tool is missing) answers "not done".
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import type {
  ContainerRuntime,
  ContainerSpec,
  Plan,
  Probe,
  Step,
  StepContext,
} from '../plan/types.js';
import { hostArgv } from '../plan/shell.js';
import { isNone, parseSize } from '../schema/size.js';
import type { CommandRunner, RunResult } from './runner.js';
import type { JournalStore } from './journal.js';
import { parseZpoolLayouts, type FoundLayout } from '../disks/common.js';
import { deviceMatcher, layoutDifferences, type SameDevice } from './pool-layout.js';
import { parsePasswd, procRootReader, type ContainerFileReader } from './container-root.js';
import { PROBE_TIMEOUT_MS, containerInspectArgv } from './inspect.js';

export function contextKey(c: StepContext): string {
  return c.kind === 'host'
    ? 'host'
    : c.kind === 'container'
      ? `container/${c.runtime}/${c.name}`
      : `${c.kind}/${c.name}`;
}

/** The pool a dataset or snapshot name belongs to. */
export function poolOf(name: string): string {
  return name.split(/[/@#]/)[0]!;
}

/** Values that zfs get shows under another name (OpenZFS 2 shows acltype=posixacl as posix). */
const ZFS_ALIASES: Record<string, string> = {
  'acltype=posixacl': 'posix',
  'acltype=noacl': 'off',
};

/**
 * Whether a `zfs get -p` value satisfies the wanted value (sizes, none, on/off,
 * paths). A user property (a name with ":") is free text: only the same text
 * matches. Pure.
 */
export function sameZfsValue(wanted: string, actual: string | undefined, property = ''): boolean {
  if (actual === undefined) return false;
  if (wanted === actual) return true;
  if (actual === '-' || property.includes(':')) return false;
  const w = ZFS_ALIASES[`${property}=${wanted.trim().toLowerCase()}`] ?? wanted.trim();
  const a = actual.trim();
  if (w.toLowerCase() === a.toLowerCase()) return true;
  // `encryption=on` means the default cipher, which zfs get names
  if (property === 'encryption' && w.toLowerCase() === 'on') return a !== 'off';
  if (isNone(w)) return a === '0' || isNone(a);
  if (w.startsWith('/') && a.startsWith('/'))
    return w.replace(/\/+$/, '') === a.replace(/\/+$/, '');
  const ws = parseSize(w);
  const as = parseSize(a);
  return ws !== undefined && as !== undefined && ws === as;
}

/** Parse `zfs get -H -p -o name,property,value` output: name → property → value. Pure. */
export function parseZfsGet(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [name, props] of parseZfsGetSources(text, false))
    out.set(name, new Map([...props].map(([k, v]) => [k, v.value])));
  return out;
}

/** A property's value and where it comes from (`local`, `default`, `inherited from X`, `-`…). */
export interface ZfsValue {
  value: string;
  /** undefined when the listing had no source column. */
  source?: string | undefined;
}

/**
 * Parse `zfs get -H -p -o name,property,value,source` output (`withSource`;
 * a value may hold tabs: the source is the last field) or the same without
 * the source column. Pure.
 */
export function parseZfsGetSources(
  text: string,
  withSource = true,
): Map<string, Map<string, ZfsValue>> {
  const out = new Map<string, Map<string, ZfsValue>>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [name, prop, ...rest] = line.split('\t');
    if (!name || !prop) continue;
    let m = out.get(name);
    if (!m) out.set(name, (m = new Map()));
    if (withSource && rest.length >= 2) {
      const source = rest.pop()!;
      m.set(prop, { value: rest.join('\t'), source });
    } else m.set(prop, { value: rest.join('\t') });
  }
  return out;
}

/**
 * `zpool get` output of one pool: with -H, TAB-separated name, property,
 * value, source; without (zfs-fuse), the table NAME PROPERTY VALUE SOURCE,
 * whose VALUE may hold spaces and overflow its column: it is what lies between
 * the property and the last word (the source). Pure.
 */
export function parseZpoolGet(text: string, pool: string, table: boolean): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (table) {
      const m = /^(\S+)\s+(\S+)\s+(.*\S)\s+(\S+)\s*$/.exec(line);
      if (m && m[1] === pool && m[2] !== 'PROPERTY') out.set(m[2]!, m[3]!);
    } else {
      const f = line.split('\t');
      if (f.length >= 4 && f[0] === pool) out.set(f[1]!, f.slice(2, -1).join('\t'));
    }
  }
  return out;
}

/** A pool's own properties vs. the config's: done, or `zpool set` of each that differs. */
function poolPropertyVerdict(
  pool: string,
  wanted: Record<string, string>,
  actual: ReadonlyMap<string, string>,
): Verdict {
  const diffs = Object.entries(wanted).filter(([k, v]) => actual.get(k) !== v);
  if (!diffs.length) return DONE;
  return {
    done: false,
    fix: {
      argvs: diffs.map(([k, v]) => ['zpool', 'set', `${k}=${v}`, pool]),
      title:
        `Set ${diffs.map(([k, v]) => `${k}=${v}`).join(', ')} on pool ${pool} ` +
        `(exists; ${diffs.map(([k]) => `${k} is ${actual.get(k) ?? 'not known to this ZFS'}`).join(', ')})`,
    },
  };
}

/** Both fixes of one step, one after the other; a refusal wins. */
function mergeFixes(a: Verdict, b: Verdict): Verdict {
  if (a.refuse !== undefined) return a;
  if (b.refuse !== undefined) return b;
  if (!a.fix) return b;
  if (!b.fix) return a;
  return {
    done: false,
    fix: { argvs: [...a.fix.argvs, ...b.fix.argvs], title: `${a.fix.title}; ${b.fix.title}` },
  };
}

/** Properties ZFS sets only when a dataset is created: a difference cannot be fixed with `zfs set`. */
const CREATE_ONLY = new Set([
  'casesensitivity',
  'normalization',
  'utf8only',
  'encryption',
  'volblocksize',
]);

export interface ZfsDifference {
  property: string;
  wanted: string;
  /** undefined when the listing does not show the property. */
  actual?: string | undefined;
  source?: string | undefined;
}

/**
 * The wanted properties that a dataset does not have as wanted: a different
 * value, or the same value only inherited or by default (the config sets it on
 * the dataset itself, as `zfs create -o` does, so that a change of the parent
 * cannot change it). Pure.
 */
export function zfsDifferences(
  wanted: Record<string, string>,
  actual: Map<string, ZfsValue> | undefined,
): ZfsDifference[] {
  const out: ZfsDifference[] = [];
  for (const [property, value] of Object.entries(wanted)) {
    const a = actual?.get(property);
    const own =
      a?.source === undefined ||
      a.source === 'local' ||
      a.source === 'received' ||
      a.source === '-' ||
      CREATE_ONLY.has(property);
    if (a && sameZfsValue(value, a.value, property) && own) continue;
    out.push({ property, wanted: value, actual: a?.value, source: a?.source });
  }
  return out;
}

function describeZfsDifference(d: ZfsDifference): string {
  if (d.actual === undefined || d.actual === '-') return `${d.property} is not set`;
  if (d.source && d.source !== 'local' && sameZfsValue(d.wanted, d.actual, d.property))
    return `${d.property}=${d.actual} is ${d.source.startsWith('inherited') ? d.source : `the ${d.source}`}, not set on it`;
  const bytes = /^\d+$/.test(d.actual) && parseSize(d.wanted) !== undefined;
  return `${d.property} is ${bytes ? formatBytes(Number(d.actual)) : d.actual}`;
}

export function containerInState(
  actual: string | undefined,
  wanted: 'exists' | 'created' | 'running' | 'stopped',
): boolean {
  if (actual === undefined) return false;
  switch (wanted) {
    case 'exists':
    case 'created':
      return true;
    case 'running':
      return actual === 'running' || actual.startsWith('up');
    case 'stopped':
      return actual !== 'running' && !actual.startsWith('up');
  }
}

/** `sha256sum` output → path → hash (GNU escaping of odd names undone). Pure. */
export function parseSha256sum(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    if (!raw) continue;
    const escaped = raw.startsWith('\\');
    const line = escaped ? raw.slice(1) : raw;
    const m = /^([0-9a-f]{64}) [ *](.*)$/.exec(line);
    if (!m) continue;
    let path = m[2]!;
    if (escaped)
      path = path.replace(/\\(\\|n|r)/g, (_, c: string) =>
        c === 'n' ? '\n' : c === 'r' ? '\r' : '\\',
      );
    out.set(path, m[1]!);
  }
  return out;
}

// ── containers: inspect and compare ─────────────────────────────────────────

/** The fields of `podman|docker container inspect` that apply reads. */
export interface ContainerInspect {
  Name?: string;
  ImageName?: string;
  Id?: string;
  State?: { Status?: string; Running?: boolean; CgroupPath?: string; Pid?: number };
  GraphDriver?: { Data?: { MergedDir?: string } | null };
  Config?: { Image?: string; Env?: string[] | null; Cmd?: string[] | null; Hostname?: string };
  HostConfig?: {
    Memory?: number;
    MemorySwap?: number;
    NanoCpus?: number;
    CpuQuota?: number;
    CpuPeriod?: number;
    PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
    Tmpfs?: Record<string, string> | null;
  };
  Mounts?:
    { Type?: string; Source?: string; Destination?: string; Name?: string; RW?: boolean }[] | null;
  NetworkSettings?: { Networks?: Record<string, unknown> | null };
}

/**
 * Parse `container inspect NAME…` output: name → inspect data. Only entries
 * whose own name is one that was asked for (inspect also matches id prefixes).
 * Pure.
 */
export function parseContainerInspect(
  text: string,
  names: readonly string[],
): Map<string, ContainerInspect> {
  const out = new Map<string, ContainerInspect>();
  const t = text.trim();
  if (!t) return out;
  const v = JSON.parse(t) as unknown;
  const asked = new Set(names);
  for (const o of Array.isArray(v) ? (v as ContainerInspect[]) : []) {
    const name = String(o?.Name ?? '').replace(/^\//, '');
    if (asked.has(name)) out.set(name, o);
  }
  return out;
}

/** A container's state word from inspect (`running`, `exited`, `created`…). */
export function inspectState(i: ContainerInspect): string {
  return String(i.State?.Status ?? (i.State?.Running ? 'running' : '')).toLowerCase();
}

/** Resource limits read from the kernel for a running container (podman before 5.1 does not record `update`). */
export interface LiveLimits {
  memory?: number | undefined;
  memorySwap?: number | undefined;
  cpus?: number | undefined;
}

export interface ContainerDifferences {
  /** What only re-creating the container changes, in words. */
  recreate: string[];
  /** `update` flags that bring its resources to the config, and the differences in words. */
  update: { flags: string[]; what: string[] };
  /** Networks to connect it to and to disconnect it from (`network connect|disconnect`). */
  networks: { connect: string[]; disconnect: string[] };
}

/** Image names as the runtimes show them: docker.io/library/ and :latest are implied. */
export function normalImage(image: string): string {
  let s = image.trim();
  s = s.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
  const last = s.split('/').pop() ?? s;
  if (!last.includes(':') && !s.includes('@')) s += ':latest';
  return s;
}

const sha = (v: string) => createHash('sha256').update(v, 'utf8').digest('hex');

function portKey(ip: string | undefined, host: string | number, container: string): string {
  const h = (ip ?? '').replace(/^\[|\]$/g, '');
  return `${h === '0.0.0.0' || h === '::' ? '' : h}|${host}|${container}`;
}

function showPort(key: string): string {
  const [ip, host, container] = key.split('|');
  return `${ip ? `${ip.includes(':') ? `[${ip}]` : ip}:` : ''}${host}→${container}`;
}

function cpusOf(h: NonNullable<ContainerInspect['HostConfig']>): number | undefined {
  if (h.NanoCpus) return h.NanoCpus / 1e9;
  if (h.CpuQuota && h.CpuQuota > 0 && h.CpuPeriod) return h.CpuQuota / h.CpuPeriod;
  return undefined;
}

const sameCpus = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) < 1e-3;

/**
 * How a container that exists differs from what its create step asks for.
 * Resources compare with what inspect records, or with `live` (the kernel's
 * limits of the running container) where that matches. Variables, mounts and
 * ports the container has beyond the config's are only a difference for bind
 * mounts and ports (an image brings its own variables and anonymous volumes).
 * Pure.
 */
export function containerDifferences(
  spec: ContainerSpec,
  i: ContainerInspect,
  live?: LiveLimits,
): ContainerDifferences {
  const recreate: string[] = [];
  const image = i.ImageName || i.Config?.Image || '';
  if (normalImage(image) !== normalImage(spec.image))
    recreate.push(`image (has ${image || 'none'}; the config wants ${spec.image})`);

  const env = new Map<string, string>();
  for (const e of i.Config?.Env ?? []) {
    const eq = e.indexOf('=');
    if (eq > 0) env.set(e.slice(0, eq), e.slice(eq + 1));
  }
  const badEnv = Object.entries(spec.env)
    .filter(([k, h]) => !env.has(k) || sha(env.get(k)!) !== h)
    .map(([k]) => k);
  // values are never shown: they may be secrets
  if (badEnv.length) recreate.push(`environment ${badEnv.join(', ')} (other values or missing)`);

  const has = new Set<string>();
  for (const [cport, binds] of Object.entries(i.HostConfig?.PortBindings ?? {}))
    for (const b of binds ?? []) has.add(portKey(b.HostIp, b.HostPort ?? '', cport));
  const wants = new Set(
    spec.ports.map((p) => portKey(p.hostIp, p.hostPort, `${p.containerPort}/${p.protocol}`)),
  );
  const sorted = (set: Set<string>) => [...set].sort();
  if (sorted(has).join(' ') !== sorted(wants).join(' '))
    recreate.push(
      `ports (has ${sorted(has).map(showPort).join(', ') || 'none'}; the config wants ${sorted(wants).map(showPort).join(', ') || 'none'})`,
    );

  const mounts = i.Mounts ?? [];
  const strip = (p: string | undefined) => (p ?? '').replace(/\/+$/, '') || '/';
  const mountDiffs: string[] = [];
  for (const v of spec.volumes) {
    if (v.type === 'tmpfs') {
      const tmpfs = i.HostConfig?.Tmpfs ?? {};
      const found =
        Object.keys(tmpfs).some((t) => strip(t) === strip(v.target)) ||
        mounts.some((m) => m.Type === 'tmpfs' && strip(m.Destination) === strip(v.target));
      if (!found) mountDiffs.push(`tmpfs ${v.target} missing`);
      continue;
    }
    const m = mounts.find((x) => strip(x.Destination) === strip(v.target));
    const source = v.type === 'volume' ? m?.Name : strip(m?.Source);
    if (!m) mountDiffs.push(`${v.target} not mounted`);
    else if (m.Type !== v.type || source !== (v.type === 'volume' ? v.source : strip(v.source)))
      mountDiffs.push(
        `${v.target} is ${m.Type} ${m.Type === 'volume' ? m.Name : m.Source}, the config wants ${v.type} ${v.source}`,
      );
    else if (m.RW !== undefined && m.RW === (v.readOnly ?? false))
      mountDiffs.push(
        `${v.target} is ${m.RW ? 'read-write' : 'read-only'}, the config wants ${m.RW ? 'read-only' : 'read-write'}`,
      );
  }
  for (const m of mounts)
    if (m.Type === 'bind' && !spec.volumes.some((v) => strip(v.target) === strip(m.Destination)))
      mountDiffs.push(`${m.Destination} is mounted from ${m.Source}, not in the config`);
  if (mountDiffs.length) recreate.push(`volumes (${mountDiffs.join('; ')})`);

  if (spec.command && JSON.stringify(i.Config?.Cmd ?? []) !== JSON.stringify(spec.command))
    recreate.push(
      `command (has ${JSON.stringify(i.Config?.Cmd ?? [])}; the config wants ${JSON.stringify(spec.command)})`,
    );
  if (spec.hostname && i.Config?.Hostname !== spec.hostname)
    recreate.push(
      `hostname (has ${i.Config?.Hostname ?? 'none'}; the config wants ${spec.hostname})`,
    );

  // Resources: `update` changes them in place.
  const h = i.HostConfig ?? {};
  const flags: string[] = [];
  const what: string[] = [];
  const memory = spec.memory !== undefined ? parseSize(spec.memory) : undefined;
  if (memory !== undefined && h.Memory !== memory && live?.memory !== memory) {
    flags.push('--memory', spec.memory!);
    what.push(`memory limit ${h.Memory ? formatBytes(h.Memory) : 'none'} → ${spec.memory}`);
    // `update` refuses a memory limit above the recorded memory+swap limit; the
    // config without one means the runtimes' default at create: twice the memory.
    if (spec.memorySwap === undefined) flags.push('--memory-swap', String(memory * 2));
  }
  const swap = spec.memorySwap !== undefined ? parseSize(spec.memorySwap) : undefined;
  if (swap !== undefined && h.MemorySwap !== swap && live?.memorySwap !== swap) {
    flags.push('--memory-swap', spec.memorySwap!);
    what.push(
      `memory+swap limit ${h.MemorySwap && h.MemorySwap > 0 ? formatBytes(h.MemorySwap) : 'none'} → ${spec.memorySwap}`,
    );
  }
  if (
    spec.cpus !== undefined &&
    !sameCpus(cpusOf(h), spec.cpus) &&
    !sameCpus(live?.cpus, spec.cpus)
  ) {
    flags.push('--cpus', String(spec.cpus));
    what.push(`CPU limit ${cpusOf(h) ?? 'none'} → ${spec.cpus}`);
  }

  // Networks: `network connect|disconnect` changes them in place. Only when the
  // config names its networks (without, the runtime's default network is the one).
  const networks = { connect: [] as string[], disconnect: [] as string[] };
  if (spec.networks) {
    const on = Object.keys(i.NetworkSettings?.Networks ?? {});
    networks.connect = spec.networks.filter((n) => !on.includes(n));
    networks.disconnect = on.filter((n) => !spec.networks!.includes(n));
  }
  return { recreate, update: { flags, what }, networks };
}

function formatBytes(n: number): string {
  for (const [u, f] of [
    ['G', 2 ** 30],
    ['M', 2 ** 20],
    ['K', 2 ** 10],
  ] as const)
    if (n >= f && n % f === 0) return `${n / f}${u}`;
  return String(n);
}

/** Kernel limits from `cgroupLimitsScript` output (cgroup v1 or v2). Pure. */
export function parseCgroupLimits(text: string): LiveLimits {
  const v = new Map<string, string>();
  for (const line of text.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp > 0) v.set(line.slice(0, sp), line.slice(sp + 1).trim());
  }
  const num = (s: string | undefined) => (s && /^\d+$/.test(s) ? Number(s) : undefined);
  const out: LiveLimits = {};
  out.memory = num(v.get('mem')) ?? num(v.get('max'));
  const memsw = num(v.get('memsw'));
  const swapmax = num(v.get('swapmax'));
  out.memorySwap =
    memsw ?? (swapmax !== undefined && out.memory !== undefined ? out.memory + swapmax : undefined);
  const quota = Number(v.get('quota'));
  const period = Number(v.get('period'));
  if (quota > 0 && period > 0) out.cpus = quota / period;
  const [q, p] = (v.get('cpumax') ?? '').split(' ');
  if (q && /^\d+$/.test(q) && Number(p) > 0) out.cpus = Number(q) / Number(p);
  return out;
}

/** Prints the kernel's limits of the cgroup given as $1 (v1 and v2 layouts). Data only as $1. */
const CGROUP_LIMITS_SCRIPT = [
  'p=$1',
  'r() { if [ -r "$2" ]; then printf "%s %s\\n" "$1" "$(cat "$2")"; fi; }',
  'r mem "/sys/fs/cgroup/memory$p/memory.limit_in_bytes"',
  'r memsw "/sys/fs/cgroup/memory$p/memory.memsw.limit_in_bytes"',
  'r quota "/sys/fs/cgroup/cpu$p/cpu.cfs_quota_us"',
  'r period "/sys/fs/cgroup/cpu$p/cpu.cfs_period_us"',
  'r max "/sys/fs/cgroup$p/memory.max"',
  'r swapmax "/sys/fs/cgroup$p/memory.swap.max"',
  'r cpumax "/sys/fs/cgroup$p/cpu.max"',
  'exit 0',
].join('\n');

// ── one listing per context ─────────────────────────────────────────────────

const FACTS_MARK = '@@slipway-files@@';
const NO_SHA_MARK = '@@slipway-no-sha256sum@@';
const COMMANDS_MARK = '@@slipway-commands@@';

/**
 * The listing script of one context: users, then the hashes of the files, then
 * the exit code of each check command. The files and the commands' words are
 * positional arguments (files first, then each command's words); the script
 * text holds only their positions, so that no name or value can become shell
 * syntax.
 */
export function factsScript(files: number, commands: readonly number[]): string {
  const ref = (i: number) => `"\${${i}}"`;
  const lines = ['getent passwd 2>/dev/null || cat /etc/passwd || exit 1', `echo ${FACTS_MARK}`];
  if (files > 0) {
    const all = Array.from({ length: files }, (_, k) => ref(k + 1)).join(' ');
    lines.push(
      `if command -v sha256sum >/dev/null 2>&1; then sha256sum -- ${all} 2>/dev/null; else echo ${NO_SHA_MARK}; fi`,
    );
  }
  if (commands.length) {
    lines.push(`echo ${COMMANDS_MARK}`);
    let at = files + 1;
    for (const n of commands) {
      const words = Array.from({ length: n }, (_, k) => ref(at + k)).join(' ');
      lines.push(`( ${words} ) </dev/null >/dev/null 2>&1; echo "$?"`);
      at += n;
    }
  }
  lines.push('exit 0');
  return lines.join('\n');
}

interface ContextFacts {
  users: Set<string>;
  files: Map<string, string>;
  /** Exit code of each check command (key: its argv as JSON), as of `commandsAt`. */
  commands: Map<string, number>;
  /** How many steps had run when the listing started (a check may see any step's work). */
  commandsAt: number;
}

const ZONE_ORDER = ['configured', 'incomplete', 'installed', 'ready', 'running'];

interface Entry<T> {
  gens: number[];
  families: string[];
  value: Promise<T>;
}

/** The key of a command's answer handed over by reuseEarlier. */
const earlierKey = (argv: readonly string[]) => argv.join('\0');

/** What a probe found: done, or what running the step means. */
export type Verdict =
  | { done: true; fix?: undefined; refuse?: undefined }
  /** Run the step's own command. */
  | { done: false; fix?: undefined; refuse?: undefined }
  /** The thing exists but differs in what these host commands change (run one after another). */
  | { done: false; fix: { argvs: string[][]; title: string }; refuse?: undefined }
  /** The thing exists but differs in a way apply does not change on its own: the step fails with this. */
  | { done: false; refuse: string; fix?: undefined };

const DONE: Verdict = { done: true };
const RUN: Verdict = { done: false };

/** Answers probes for one run. */
export class ProbeOracle {
  /** Commands run for probing (for tests and the benchmark). */
  readonly queries: string[][] = [];
  private readonly cache = new Map<string, Entry<unknown>>();
  private readonly gens = new Map<string, number>();
  private readonly propsByPool = new Map<string, Set<string>>();
  /** This zpool takes `status -P` (zfs-fuse does not). */
  private statusWithP = true;
  /** Pool properties (`zpool get`) asked about, per pool. */
  private readonly zpoolPropsByPool = new Map<string, Set<string>>();
  private readonly filesByContext = new Map<string, { context: StepContext; paths: Set<string> }>();
  private readonly commandsByContext = new Map<string, Map<string, string[]>>();
  private readonly namesByRuntime = new Map<ContainerRuntime, Set<string>>();
  private stepsRun = 0;
  /** Steps whose command ran in this apply. */
  private readonly ran = new Set<string>();
  /** Answers of read-only commands this run made before any step (see reuseEarlier). */
  private readonly earlier = new Map<string, RunResult | Promise<RunResult>>();
  /** Device names of the config vs. `zpool status` (symlinks resolved on this machine). */
  sameDevice: SameDevice = deviceMatcher((path) => {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  });

  /**
   * Reads a running container's users and files from the host (Linux: through
   * /proc/PID/root), where that answers exactly as the listing inside would;
   * undefined: always the listing.
   */
  containerFiles: ContainerFileReader | undefined =
    process.platform === 'linux' ? procRootReader() : undefined;

  constructor(
    private readonly runner: CommandRunner,
    private readonly plan: Pick<Plan, 'steps'>,
    public journal?: JournalStore,
    private readonly signal?: AbortSignal,
  ) {
    const ctxEntry = <T>(m: Map<string, T>, key: string, make: () => T): T => {
      let v = m.get(key);
      if (v === undefined) m.set(key, (v = make()));
      return v;
    };
    for (const s of plan.steps) {
      const p = s.probe;
      if (p.kind === 'dataset-properties' || p.kind === 'dataset-exists') {
        const set = this.poolProps(poolOf(p.dataset));
        for (const k of Object.keys(p.properties ?? {})) set.add(k);
      } else if (p.kind === 'pool-exists') {
        const set = this.poolProps(p.pool);
        for (const k of Object.keys(p.properties ?? {})) set.add(k);
        if (p.poolProperties) {
          let own = this.zpoolPropsByPool.get(p.pool);
          if (!own) this.zpoolPropsByPool.set(p.pool, (own = new Set()));
          for (const k of Object.keys(p.poolProperties)) own.add(k);
        }
      } else if (p.kind === 'snapshot-exists') this.poolProps(poolOf(p.snapshot));
      else if (p.kind === 'file-content')
        ctxEntry(this.filesByContext, contextKey(s.context), () => ({
          context: s.context,
          paths: new Set<string>(),
        })).paths.add(p.path);
      else if (p.kind === 'command' && s.context.kind !== 'host')
        ctxEntry(this.commandsByContext, contextKey(s.context), () => new Map()).set(
          JSON.stringify(p.argv),
          p.argv,
        );
      else if (p.kind === 'container-state')
        ctxEntry(this.namesByRuntime, p.runtime, () => new Set()).add(p.name);
      if (s.context.kind === 'container')
        ctxEntry(this.namesByRuntime, s.context.runtime, () => new Set()).add(s.context.name);
    }
  }

  private poolProps(pool: string): Set<string> {
    let set = this.propsByPool.get(pool);
    if (!set) this.propsByPool.set(pool, (set = new Set(['type'])));
    return set;
  }

  /** Whether the step is already done. Never throws: a failed query means "not done". */
  async isDone(step: Step): Promise<boolean> {
    return (await this.check(step)).done;
  }

  /** What the step's probe found. Never throws: a failed query means "run the step". */
  async check(step: Step): Promise<Verdict> {
    try {
      return await this.answer(step.probe, step.context, step);
    } catch {
      return RUN;
    }
  }

  private async answer(p: Probe, context: StepContext, step: Step): Promise<Verdict> {
    const yes = (b: boolean): Verdict => (b ? DONE : RUN);
    switch (p.kind) {
      case 'always':
        return RUN;
      case 'journal':
        if (p.renewedBy?.some((id) => this.ran.has(id))) return RUN;
        return yes(this.journal?.isDone(step) ?? false);
      case 'pool-exists': {
        const found = (await this.pools()).get(p.pool);
        if (!found) return RUN;
        // The pool is there: its own command (zpool create) must never run. Taken
        // as done only with the vdevs the config gives it.
        const differs = p.layout ? layoutDifferences(p.layout, found, this.sameDevice) : [];
        if (differs.length)
          return {
            done: false,
            refuse: `pool ${p.pool} exists with other vdevs than the config gives it (${differs.join('; ')}); apply never changes the vdevs of a pool that exists: make the config match the pool or give the pool another name, or change the pool yourself (zpool add, attach, replace)`,
          };
        let own: Verdict = DONE;
        if (p.poolProperties && Object.keys(p.poolProperties).length) {
          const actual = await this.zpoolGet(p.pool).then(
            (m) => m,
            (err: Error) => err,
          );
          if (actual instanceof Error)
            return {
              done: false,
              refuse: `pool ${p.pool} exists, but its properties could not be read (${actual.message}); run apply again when zpool answers`,
            };
          own = poolPropertyVerdict(p.pool, p.poolProperties, actual);
        }
        if (!p.properties || !Object.keys(p.properties).length) return own;
        // ... even when its root cannot be read.
        const root = await this.zfs(p.pool).then(
          (m) => m.get(p.pool),
          (err: Error) => err,
        );
        if (root instanceof Error || !root)
          return {
            done: false,
            refuse: `pool ${p.pool} exists, but the properties of its root could not be read (${root instanceof Error ? root.message : 'zfs get did not list it'}); run apply again when zfs answers`,
          };
        return mergeFixes(
          own,
          this.propertyVerdict(p.pool, p.properties, root, `the root of pool ${p.pool}`),
        );
      }
      case 'dataset-exists': {
        const ds = (await this.zfs(poolOf(p.dataset))).get(p.dataset);
        const t = ds?.get('type')?.value;
        if (t === undefined || t === 'snapshot') return RUN;
        if (!p.properties || !Object.keys(p.properties).length) return DONE;
        return this.propertyVerdict(p.dataset, p.properties, ds, p.dataset);
      }
      case 'snapshot-exists':
        return yes(
          (await this.zfs(poolOf(p.snapshot))).get(p.snapshot)?.get('type')?.value === 'snapshot',
        );
      case 'dataset-properties': {
        // `zfs set` on a dataset that exists: of exactly what differs.
        const props = (await this.zfs(poolOf(p.dataset))).get(p.dataset);
        if (!props) return RUN;
        return this.propertyVerdict(p.dataset, p.properties, props, p.dataset);
      }
      case 'container-state': {
        const info = (await this.containers(p.runtime)).get(p.name);
        if (!info || !containerInState(inspectState(info), p.state)) return RUN;
        return p.spec ? this.containerVerdict(p.runtime, p.name, p.spec, info) : DONE;
      }
      case 'network-exists':
        return yes((await this.networks(p.runtime)).has(p.name));
      case 'user-exists':
        return yes((await this.contextFacts(context)).users.has(p.user));
      case 'file-content':
        return yes((await this.contextFacts(context)).files.get(p.path) === p.sha256.toLowerCase());
      case 'zone-state': {
        const st = (await this.zones()).get(p.zone);
        return yes(st !== undefined && ZONE_ORDER.indexOf(st) >= ZONE_ORDER.indexOf(p.state));
      }
      case 'jail-running':
        return yes((await this.jails()).has(p.jail));
      case 'command': {
        if (context.kind !== 'host') {
          // From the context's one listing, while no step has run since it started.
          const facts = await this.contextFacts(context).catch(() => undefined);
          const code = facts?.commands.get(JSON.stringify(p.argv));
          if (facts && code !== undefined && facts.commandsAt === this.stepsRun)
            return yes(code === 0);
        }
        const r = await this.query(hostArgv({ context, argv: p.argv, stdin: undefined }));
        return yes(r.exitCode === 0);
      }
    }
  }

  /** A dataset (or pool root) that exists: done, `zfs set` of what differs, or refused. */
  private propertyVerdict(
    dataset: string,
    wanted: Record<string, string>,
    actual: Map<string, ZfsValue> | undefined,
    what: string,
  ): Verdict {
    const diffs = zfsDifferences(wanted, actual);
    if (!diffs.length) return DONE;
    const fixed = diffs.filter((d) => CREATE_ONLY.has(d.property));
    if (fixed.length)
      return {
        done: false,
        refuse:
          `${what} exists with ${fixed.map((d) => `${d.property}=${d.actual ?? '-'}`).join(', ')}; ` +
          `the config wants ${fixed.map((d) => `${d.property}=${d.wanted}`).join(', ')}, which ZFS ` +
          'sets only when a dataset is created. Create a new dataset with it and move the data, ' +
          'or change the config to what the dataset has.',
      };
    return {
      done: false,
      fix: {
        // One property per command: zfs-fuse (and older ZFS) set one at a time.
        argvs: diffs.map((d) => ['zfs', 'set', `${d.property}=${d.wanted}`, dataset]),
        title:
          `Set ${diffs.map((d) => `${d.property}=${d.wanted}`).join(', ')} on ${dataset} ` +
          `(exists; ${diffs.map(describeZfsDifference).join(', ')})`,
      },
    };
  }

  /** A container that exists: done, `update` of its resources, or refused with what differs. */
  private async containerVerdict(
    runtime: ContainerRuntime,
    name: string,
    spec: ContainerSpec,
    info: ContainerInspect,
  ): Promise<Verdict> {
    let d = containerDifferences(spec, info);
    // podman before 5.1 applies `update` to the running container only and
    // keeps showing the limits it was created with: the kernel's are the truth.
    if (d.update.flags.length && info.State?.Running && info.State.CgroupPath)
      d = containerDifferences(spec, info, await this.liveLimits(info.State.CgroupPath));
    if (d.recreate.length)
      return {
        done: false,
        refuse:
          `container ${name} exists but was created with other settings: ${d.recreate.join('; ')}. ` +
          'These change only by re-creating the container, which Slipway does not do on its own ' +
          '(everything written inside it outside its volumes would be lost). To apply them: ' +
          `${runtime} rm -f ${name}, then run apply again (the container and its nested config ` +
          'are created anew; data in its volumes stays); or change the config back.',
      };
    const { connect, disconnect } = d.networks;
    if (!d.update.flags.length && !connect.length && !disconnect.length) return DONE;
    // Connected to the new networks before leaving the old ones.
    const argvs = [
      ...(d.update.flags.length ? [[runtime, 'update', ...d.update.flags, name]] : []),
      ...connect.map((n) => [runtime, 'network', 'connect', n, name]),
      ...disconnect.map((n) => [runtime, 'network', 'disconnect', n, name]),
    ];
    const what = [
      ...d.update.what,
      ...(connect.length ? [`connect to ${connect.join(', ')}`] : []),
      ...(disconnect.length ? [`disconnect from ${disconnect.join(', ')}`] : []),
    ];
    return {
      done: false,
      fix: { argvs, title: `Update container ${name}: ${what.join(', ')}` },
    };
  }

  private async liveLimits(cgroupPath: string): Promise<LiveLimits | undefined> {
    if (!/^\/[A-Za-z0-9_.:@/-]*$/.test(cgroupPath) || cgroupPath.includes('..')) return undefined;
    const r = await this.query(['sh', '-c', CGROUP_LIMITS_SCRIPT, 'sh', cgroupPath]);
    return r.exitCode === 0 ? parseCgroupLimits(r.stdout) : undefined;
  }

  /** Forget what a step that ran may have changed. */
  invalidate(step: Step): void {
    this.stepsRun++;
    this.ran.add(step.id);
    this.earlier.clear();
    const families = new Set<string>();
    families.add(`ctx:${contextKey(step.context)}`);
    const tool = (step.argv[0] ?? '').split('/').pop()!;
    const host = step.context.kind === 'host';
    const p = step.probe;
    if (
      (host && ['zfs', 'zpool', 'mount', 'umount'].includes(tool)) ||
      /^(pool|dataset|snapshot)/.test(p.kind)
    )
      families.add('zfs');
    // Pools and their own properties change only through zpool (not zfs create/set).
    if ((host && tool === 'zpool') || p.kind === 'pool-exists') families.add('zpool');
    const runtime =
      host && (tool === 'podman' || tool === 'docker')
        ? tool
        : p.kind === 'container-state' || p.kind === 'network-exists'
          ? p.runtime
          : undefined;
    if (runtime) families.add(`rt:${runtime}`);
    if ((host && /^zone/.test(tool)) || p.kind === 'zone-state') families.add('zones');
    if ((host && /^jail/.test(tool)) || p.kind === 'jail-running') families.add('jails');
    for (const f of families) this.gens.set(f, (this.gens.get(f) ?? 0) + 1);
  }

  private families(context: StepContext): string[] {
    const f = [`ctx:${contextKey(context)}`];
    if (context.kind === 'container') f.push(`rt:${context.runtime}`);
    if (context.kind === 'zone') f.push('zones');
    if (context.kind === 'jail') f.push('jails');
    return f;
  }

  private cached<T>(key: string, families: string[], fetch: () => Promise<T>): Promise<T> {
    const e = this.cache.get(key) as Entry<T> | undefined;
    if (e && e.families.every((f, i) => (this.gens.get(f) ?? 0) === e.gens[i])) return e.value;
    const entry: Entry<T> = {
      families,
      gens: families.map((f) => this.gens.get(f) ?? 0),
      value: fetch(),
    };
    // A failed query is not cached: the next probe asks again.
    entry.value.catch(() => {
      if (this.cache.get(key) === entry) this.cache.delete(key);
    });
    this.cache.set(key, entry);
    return entry.value;
  }

  /**
   * Hand the oracle what a read-only command of this run printed, or will
   * print, having started before any step (apply's disk detection asks `zpool
   * status`, and apply starts the containers' inspect, while it validates):
   * the first query of the same argv takes that answer instead of running the
   * command again (or runs it when that one failed to run). A step that
   * finishes forgets all such answers.
   */
  reuseEarlier(argv: readonly string[], result: RunResult | Promise<RunResult>): void {
    if (this.stepsRun === 0) this.earlier.set(earlierKey(argv), result);
  }

  private async query(argv: string[]): Promise<RunResult> {
    const key = earlierKey(argv);
    const earlier = this.earlier.get(key);
    if (earlier) {
      this.earlier.delete(key);
      return Promise.resolve(earlier).catch(() => this.run(argv));
    }
    return this.run(argv);
  }

  private run(argv: string[]): Promise<RunResult> {
    this.queries.push(argv);
    return this.runner.run({ argv, timeoutMs: PROBE_TIMEOUT_MS, signal: this.signal });
  }

  /** The pools of this machine and their vdevs: `zpool status -P` (zfs-fuse has no -P: without). */
  private pools(): Promise<Map<string, FoundLayout>> {
    return this.cached('pools', ['zpool'], async () => {
      // Asked as the disk detection asked it, when that answer is here to take
      // (it knew zfs-fuse without trying -P).
      if (
        this.earlier.has(earlierKey(['zpool', 'status'])) &&
        !this.earlier.has(earlierKey(['zpool', 'status', '-P']))
      )
        this.statusWithP = false;
      let r = await this.query(this.statusWithP ? ['zpool', 'status', '-P'] : ['zpool', 'status']);
      if (this.statusWithP && r.exitCode !== 0 && /invalid option/i.test(r.stderr + r.stdout)) {
        this.statusWithP = false; // asked again after every zpool step: once is enough
        r = await this.query(['zpool', 'status']);
      }
      if (r.exitCode !== 0) return new Map<string, FoundLayout>();
      return parseZpoolLayouts(r.stdout);
    });
  }

  /**
   * The pool properties the plan gives `pool`: `zpool get -H -p -o
   * name,property,value,source` (zfs-fuse has no -H/-p/-o: its table instead).
   * A property this ZFS does not know fails the whole query: it is left out
   * (and then differs: its `zpool set` fails with zpool's own message).
   */
  private zpoolGet(pool: string): Promise<Map<string, string>> {
    return this.cached(`zpool-get:${pool}`, ['zpool'], async () => {
      const props = [...(this.zpoolPropsByPool.get(pool) ?? [])];
      let table = false;
      for (;;) {
        if (!props.length) return new Map<string, string>();
        const list = props.join(',');
        const r = await this.query(
          table
            ? ['zpool', 'get', list, pool]
            : ['zpool', 'get', '-H', '-p', '-o', 'name,property,value,source', list, pool],
        );
        if (r.exitCode === 0) return parseZpoolGet(r.stdout, pool, table);
        const bad = /invalid property '([^']+)'/.exec(r.stderr + r.stdout)?.[1];
        if (!table && bad === '-H') table = true;
        else if (bad && props.includes(bad)) props.splice(props.indexOf(bad), 1);
        else throw new Error(`zpool get failed: ${r.stderr.trim().split('\n').pop() ?? ''}`);
      }
    });
  }

  private zfs(pool: string): Promise<Map<string, Map<string, ZfsValue>>> {
    return this.cached(`zfs:${pool}`, ['zfs'], async () => {
      const props = [...(this.propsByPool.get(pool) ?? ['type'])];
      const get = () =>
        this.query([
          'zfs',
          'get',
          '-H',
          '-p',
          '-r',
          '-o',
          'name,property,value,source',
          props.join(','),
          pool,
        ]);
      // Asked together with the pool listing (a pool that does not exist only
      // makes zfs get fail), not after it.
      const [pools, first] = await Promise.all([this.pools(), get()]);
      if (!pools.has(pool)) return new Map();
      // A property this ZFS does not know (zfs-fuse has no lz4, no newer
      // properties) fails the whole query: drop it and ask again.
      for (let r = first; ; r = await get()) {
        if (r.exitCode === 0) return parseZfsGetSources(r.stdout);
        const bad = /invalid property '([^']+)'/.exec(r.stderr)?.[1];
        if (!bad || bad === 'type' || !props.includes(bad))
          throw new Error(`zfs get failed: ${r.stderr.trim().split('\n').pop() ?? ''}`);
        props.splice(props.indexOf(bad), 1);
      }
    });
  }

  /**
   * Every container the plan names, with one `container inspect` per runtime:
   * existence, state, and what it was created with. A name that does not
   * exist is only missing from the answer (inspect exits non-zero then).
   */
  private containers(runtime: ContainerRuntime): Promise<Map<string, ContainerInspect>> {
    return this.cached(`ctr:${runtime}`, [`rt:${runtime}`], async () => {
      const names = [...(this.namesByRuntime.get(runtime) ?? [])];
      if (!names.length) return new Map<string, ContainerInspect>();
      const argv = containerInspectArgv(runtime, names);
      const r = await this.query(argv);
      let found: Map<string, ContainerInspect>;
      try {
        found = parseContainerInspect(r.stdout, names);
      } catch {
        throw new Error(`${argv.join(' ')} printed no JSON`);
      }
      if (r.exitCode !== 0 && found.size === 0 && !/no such (container|object)/i.test(r.stderr))
        throw new Error(`${argv.join(' ')} failed`);
      return found;
    });
  }

  private networks(runtime: string): Promise<Set<string>> {
    return this.cached(`net:${runtime}`, [`rt:${runtime}`], async () => {
      const r = await this.query([runtime, 'network', 'ls', '--format', '{{.Name}}']);
      if (r.exitCode !== 0) throw new Error(`${runtime} network ls failed`);
      return new Set(
        r.stdout
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      );
    });
  }

  /**
   * Everything probed in one context with one command run there: the passwd
   * listing (getent, or /etc/passwd where getent is missing), `sha256sum` of
   * every file the plan writes there, and the exit code of every check
   * command of the plan's steps there.
   */
  private contextFacts(context: StepContext): Promise<ContextFacts> {
    const ctx = contextKey(context);
    return this.cached(`facts:${ctx}`, this.families(context), async () => {
      const commandsAt = this.stepsRun;
      const paths = [...(this.filesByContext.get(ctx)?.paths ?? [])];
      const commands = [...(this.commandsByContext.get(ctx)?.entries() ?? [])];
      // Users and files only (check commands must run inside): read from the host.
      if (!commands.length && context.kind === 'container' && this.containerFiles) {
        const read = await this.readFromHost(context, paths);
        if (read) return { ...read, commands: new Map<string, number>(), commandsAt };
      }
      const script = factsScript(
        paths.length,
        commands.map(([, argv]) => argv.length),
      );
      const r = await this.query(
        hostArgv({
          context,
          argv: ['sh', '-c', script, 'sh', ...paths, ...commands.flatMap(([, argv]) => argv)],
          stdin: undefined,
        }),
      );
      if (r.exitCode !== 0) throw new Error(`cannot read users and files in ${ctx}`);
      const [passwd = '', afterUsers = ''] = r.stdout.split(`${FACTS_MARK}\n`);
      const [hashes = '', codes = ''] = afterUsers.split(`${COMMANDS_MARK}\n`);
      const noSha = hashes.startsWith(`${NO_SHA_MARK}\n`);
      const files = noSha ? await this.catHashes(context, paths) : parseSha256sum(hashes);
      const exit = codes.split('\n').filter(Boolean);
      const results = new Map<string, number>();
      // Only a complete answer counts: otherwise each check runs on its own.
      if (exit.length === commands.length)
        commands.forEach(([key], i) => results.set(key, Number(exit[i])));
      return { users: parsePasswd(passwd), files, commands: results, commandsAt };
    });
  }

  /** A running container's users and files, read from the host; undefined: ask inside. */
  private async readFromHost(
    context: Extract<StepContext, { kind: 'container' }>,
    paths: readonly string[],
  ): Promise<{ users: Set<string>; files: Map<string, string> } | undefined> {
    const reader = this.containerFiles;
    if (!reader) return undefined;
    const info = (await this.containers(context.runtime).catch(() => undefined))?.get(context.name);
    const pid = info?.State?.Pid;
    const rootfs = info?.GraphDriver?.Data?.MergedDir;
    if (!info?.State?.Running || !info.Id || !pid || !rootfs) return undefined;
    return reader({ id: info.Id, pid, rootfs }, paths).catch(() => undefined);
  }

  /** Where there is no sha256sum: read each file and hash it here. */
  private async catHashes(context: StepContext, paths: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const p of paths) {
      const c = await this.query(hostArgv({ context, argv: ['cat', '--', p], stdin: undefined }));
      if (c.exitCode === 0) out.set(p, createHash('sha256').update(c.stdout).digest('hex'));
    }
    return out;
  }

  /**
   * Start the bulk queries that a run will need, all at once, instead of one
   * after another as steps reach them: pools and datasets, containers, and the
   * one listing inside every container (zone, jail) the plan configures.
   */
  prefetch(): void {
    const ignore = () => undefined;
    const contexts = new Map<string, StepContext>();
    for (const s of this.plan.steps) {
      const p = s.probe;
      if (
        p.kind === 'user-exists' ||
        p.kind === 'file-content' ||
        (p.kind === 'command' && s.context.kind !== 'host')
      )
        contexts.set(contextKey(s.context), s.context);
    }
    // The listings inside containers take longest (podman exec): started first,
    // not after the container inspect. Only when the journal shows that steps in
    // them finished before (a re-run): on a first run the containers are not
    // there yet, and each listing would only fail, using CPU the first steps need.
    const ranBefore = new Set<string>();
    if (this.journal)
      for (const s of this.plan.steps) {
        if (s.context.kind === 'host') continue;
        const key = contextKey(s.context);
        if (contexts.has(key) && !ranBefore.has(key) && this.journal.isDone(s)) ranBefore.add(key);
      }
    for (const [key, c] of contexts)
      if (c.kind === 'host' || ranBefore.has(key)) this.contextFacts(c).catch(ignore);
    for (const rt of this.namesByRuntime.keys()) this.containers(rt).catch(ignore);
    if (this.plan.steps.some((s) => /^(pool|dataset|snapshot)/.test(s.probe.kind))) {
      // The datasets of the pools the listing shows only: a pool that is not
      // there yet (a first run) has none, and its `zfs get` would only fail.
      // Its spawn held the main thread (6-28 ms measured on a loaded 2-core VM) just
      // before the first step started, with zfs-fuse busy answering it. A probe
      // that needs a pool's datasets still asks them alongside the listing.
      this.pools()
        .then((pools) => {
          for (const pool of this.zpoolPropsByPool.keys())
            if (pools.has(pool)) this.zpoolGet(pool).catch(ignore);
          for (const pool of this.propsByPool.keys())
            if (pools.has(pool)) this.zfs(pool).catch(ignore);
        })
        .catch(ignore);
    }
  }

  private zones(): Promise<Map<string, string>> {
    return this.cached('zones', ['zones'], async () => {
      const r = await this.query(['zoneadm', 'list', '-cp']);
      const out = new Map<string, string>();
      if (r.exitCode !== 0) return out;
      for (const line of r.stdout.split('\n')) {
        const f = line.split(':');
        if (f[1]) out.set(f[1], f[2] ?? '');
      }
      return out;
    });
  }

  private jails(): Promise<Set<string>> {
    return this.cached('jails', ['jails'], async () => {
      const r = await this.query(['jls', 'name']);
      if (r.exitCode !== 0) return new Set<string>();
      return new Set(
        r.stdout
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      );
    });
  }
}
