/**
 * Answering step probes ("is this step already done?") in bulk, cached per run:
 * one `zpool list` for all pools, one `zfs get -r` per pool for every dataset,
 * property and snapshot probe of that pool, one `podman ps -a` per runtime, one
 * listing of users per context, one `sha256sum` per context for the files the
 * plan writes there. Running a step invalidates the answers it can change.
 *
 * Probes only read. A probe whose query fails (the pool or container does not
 * exist yet, the tool is missing) answers "not done".
 */
import { createHash } from 'node:crypto';
import type { ContainerRuntime, Plan, Probe, Step, StepContext } from '../plan/types.js';
import { hostArgv } from '../plan/shell.js';
import { isNone, parseSize } from '../schema/size.js';
import type { CommandRunner, RunResult } from './runner.js';
import type { JournalStore } from './journal.js';

const PROBE_TIMEOUT_MS = 120_000;

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

/** Whether a `zfs get -p` value satisfies the wanted value (sizes, none, on/off, paths). Pure. */
export function sameZfsValue(wanted: string, actual: string | undefined): boolean {
  if (actual === undefined || actual === '-') return false;
  if (wanted === actual) return true;
  const w = wanted.trim();
  const a = actual.trim();
  if (w.toLowerCase() === a.toLowerCase()) return true;
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
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [name, prop, ...rest] = line.split('\t');
    if (!name || !prop) continue;
    let m = out.get(name);
    if (!m) out.set(name, (m = new Map()));
    m.set(prop, rest.join('\t'));
  }
  return out;
}

/** Parse `podman ps -a --format json` (an array) or `docker ps -a --format '{{json .}}'` (lines). Pure. */
export function parseContainerList(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const add = (o: Record<string, unknown>) => {
    const names = o.Names ?? o.names ?? o.Name;
    const state = String(o.State ?? o.state ?? o.Status ?? '').toLowerCase();
    const list = Array.isArray(names)
      ? names.map(String)
      : typeof names === 'string'
        ? names.split(',')
        : [];
    for (const n of list) out.set(n.replace(/^\//, ''), state);
  };
  const t = text.trim();
  if (!t) return out;
  try {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v)) for (const o of v) add(o as Record<string, unknown>);
    else if (v && typeof v === 'object') add(v as Record<string, unknown>);
    return out;
  } catch {
    for (const line of t.split('\n')) {
      try {
        add(JSON.parse(line) as Record<string, unknown>);
      } catch {
        /* not a JSON line */
      }
    }
  }
  return out;
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

/** User names from passwd lines. Pure. */
export function parsePasswd(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const name = line.split(':')[0];
    if (name && !line.startsWith('#')) out.add(name);
  }
  return out;
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

const FACTS_MARK = '@@slipway-files@@';
const NO_SHA_MARK = '@@slipway-no-sha256sum@@';
/** Users, then the hashes of the files given as arguments. Data only as positional arguments. */
const FACTS_SCRIPT = [
  'getent passwd 2>/dev/null || cat /etc/passwd || exit 1',
  `echo ${FACTS_MARK}`,
  `if [ $# -gt 0 ]; then if command -v sha256sum >/dev/null 2>&1; then sha256sum -- "$@" 2>/dev/null; else echo ${NO_SHA_MARK}; fi; fi`,
  'exit 0',
].join('\n');

interface ContextFacts {
  users: Set<string>;
  files: Map<string, string>;
}

const ZONE_ORDER = ['configured', 'incomplete', 'installed', 'ready', 'running'];

interface Entry<T> {
  gens: number[];
  families: string[];
  value: Promise<T>;
}

/** Answers probes for one run. */
export class ProbeOracle {
  /** Commands run for probing (for tests and the benchmark). */
  readonly queries: string[][] = [];
  private readonly cache = new Map<string, Entry<unknown>>();
  private readonly gens = new Map<string, number>();
  private readonly propsByPool = new Map<string, Set<string>>();
  private readonly filesByContext = new Map<string, { context: StepContext; paths: Set<string> }>();

  constructor(
    private readonly runner: CommandRunner,
    private readonly plan: Pick<Plan, 'steps'>,
    public journal?: JournalStore,
    private readonly signal?: AbortSignal,
  ) {
    for (const s of plan.steps) {
      const p = s.probe;
      if (p.kind === 'dataset-properties') {
        const set = this.poolProps(poolOf(p.dataset));
        for (const k of Object.keys(p.properties)) set.add(k);
      } else if (p.kind === 'dataset-exists') this.poolProps(poolOf(p.dataset));
      else if (p.kind === 'snapshot-exists') this.poolProps(poolOf(p.snapshot));
      else if (p.kind === 'file-content') {
        const key = contextKey(s.context);
        let f = this.filesByContext.get(key);
        if (!f) this.filesByContext.set(key, (f = { context: s.context, paths: new Set() }));
        f.paths.add(p.path);
      }
    }
  }

  private poolProps(pool: string): Set<string> {
    let set = this.propsByPool.get(pool);
    if (!set) this.propsByPool.set(pool, (set = new Set(['type'])));
    return set;
  }

  /** Whether the step is already done. Never throws: a failed query means "not done". */
  async isDone(step: Step): Promise<boolean> {
    try {
      return await this.answer(step.probe, step.context, step);
    } catch {
      return false;
    }
  }

  private async answer(p: Probe, context: StepContext, step: Step): Promise<boolean> {
    switch (p.kind) {
      case 'always':
        return false;
      case 'journal':
        return this.journal?.isDone(step) ?? false;
      case 'pool-exists':
        return (await this.pools()).has(p.pool);
      case 'dataset-exists': {
        const ds = await this.zfs(poolOf(p.dataset));
        const t = ds.get(p.dataset)?.get('type');
        return t !== undefined && t !== 'snapshot';
      }
      case 'snapshot-exists':
        return (await this.zfs(poolOf(p.snapshot))).get(p.snapshot)?.get('type') === 'snapshot';
      case 'dataset-properties': {
        const props = (await this.zfs(poolOf(p.dataset))).get(p.dataset);
        if (!props) return false;
        return Object.entries(p.properties).every(([k, v]) => sameZfsValue(v, props.get(k)));
      }
      case 'container-state':
        return containerInState((await this.containers(p.runtime)).get(p.name), p.state);
      case 'network-exists':
        return (await this.networks(p.runtime)).has(p.name);
      case 'user-exists':
        return (await this.contextFacts(context)).users.has(p.user);
      case 'file-content':
        return (await this.contextFacts(context)).files.get(p.path) === p.sha256.toLowerCase();
      case 'zone-state': {
        const st = (await this.zones()).get(p.zone);
        return st !== undefined && ZONE_ORDER.indexOf(st) >= ZONE_ORDER.indexOf(p.state);
      }
      case 'jail-running':
        return (await this.jails()).has(p.jail);
      case 'command': {
        const r = await this.query(hostArgv({ context, argv: p.argv, stdin: undefined }));
        return r.exitCode === 0;
      }
    }
  }

  /** Forget what a step that ran may have changed. */
  invalidate(step: Step): void {
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

  private async query(argv: string[]): Promise<RunResult> {
    this.queries.push(argv);
    return this.runner.run({ argv, timeoutMs: PROBE_TIMEOUT_MS, signal: this.signal });
  }

  private pools(): Promise<Set<string>> {
    return this.cached('pools', ['zfs'], async () => {
      const r = await this.query(['zpool', 'list', '-H', '-o', 'name']);
      if (r.exitCode !== 0) return new Set<string>();
      return new Set(
        r.stdout
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      );
    });
  }

  private zfs(pool: string): Promise<Map<string, Map<string, string>>> {
    return this.cached(`zfs:${pool}`, ['zfs'], async () => {
      if (!(await this.pools()).has(pool)) return new Map();
      const props = [...(this.propsByPool.get(pool) ?? ['type'])];
      // A property this ZFS does not know (zfs-fuse has no lz4, no newer
      // properties) fails the whole query: drop it and ask again.
      for (;;) {
        const r = await this.query([
          'zfs',
          'get',
          '-H',
          '-p',
          '-r',
          '-o',
          'name,property,value',
          props.join(','),
          pool,
        ]);
        if (r.exitCode === 0) return parseZfsGet(r.stdout);
        const bad = /invalid property '([^']+)'/.exec(r.stderr)?.[1];
        if (!bad || bad === 'type' || !props.includes(bad)) return new Map();
        props.splice(props.indexOf(bad), 1);
      }
    });
  }

  private containers(runtime: string): Promise<Map<string, string>> {
    return this.cached(`ctr:${runtime}`, [`rt:${runtime}`], async () => {
      const argv =
        runtime === 'docker'
          ? ['docker', 'ps', '-a', '--no-trunc', '--format', '{{json .}}']
          : [runtime, 'ps', '-a', '--format', 'json'];
      const r = await this.query(argv);
      if (r.exitCode !== 0) throw new Error(`${argv.join(' ')} failed`);
      return parseContainerList(r.stdout);
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
   * Users and file hashes of one context with one command run there: the
   * passwd listing (getent, or /etc/passwd where getent is missing), a marker,
   * then `sha256sum` of every file the plan writes in that context.
   */
  private contextFacts(context: StepContext): Promise<ContextFacts> {
    const ctx = contextKey(context);
    return this.cached(`facts:${ctx}`, this.families(context), async () => {
      const paths = [...(this.filesByContext.get(ctx)?.paths ?? [])];
      const r = await this.query(
        hostArgv({ context, argv: ['sh', '-c', FACTS_SCRIPT, 'sh', ...paths], stdin: undefined }),
      );
      if (r.exitCode !== 0) throw new Error(`cannot read users and files in ${ctx}`);
      const [passwd = '', rest = ''] = r.stdout.split(`${FACTS_MARK}\n`);
      const noSha = rest.startsWith(`${NO_SHA_MARK}\n`);
      const files = noSha ? await this.catHashes(context, paths) : parseSha256sum(rest);
      return { users: parsePasswd(passwd), files };
    });
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
   * users and files of every running container the plan configures.
   */
  prefetch(): void {
    const ignore = () => undefined;
    if (this.plan.steps.some((s) => /^(pool|dataset|snapshot)/.test(s.probe.kind))) {
      for (const pool of this.propsByPool.keys()) this.zfs(pool).catch(ignore);
      this.pools().catch(ignore);
    }
    const runtimes = new Set<ContainerRuntime>();
    const contexts = new Map<string, StepContext>();
    for (const s of this.plan.steps) {
      const p = s.probe;
      if (p.kind === 'container-state' || p.kind === 'network-exists') runtimes.add(p.runtime);
      if (p.kind === 'user-exists' || p.kind === 'file-content') {
        contexts.set(contextKey(s.context), s.context);
        if (s.context.kind === 'container') runtimes.add(s.context.runtime);
      }
    }
    for (const rt of runtimes) this.containers(rt).catch(ignore);
    // Asked at once, not after the container listing: on a re-run the containers
    // are there; on a first run the query fails fast and is asked again later.
    for (const c of contexts.values()) this.contextFacts(c).catch(ignore);
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
