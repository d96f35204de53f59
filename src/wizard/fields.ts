/**
 * Forms as data: the fields the Containers and System screens show, and the
 * pure edit each one makes to the config. A field id names what it edits
 * (`hostname`, `iface:0:address`, `user:1:ssh_key`); `setField` parses the
 * typed text and returns a new config, or throws FieldError with what to type.
 */
import type {
  ContainerConfig,
  InterfaceConfig,
  JailConfig,
  UnifiedConfig,
  UserConfig,
  ZoneConfig,
} from '../schema/config.js';
import type { Platform } from '../plan/types.js';

export type FieldScope = { kind: 'system' } | { kind: 'container'; index: number };

export interface Field {
  id: string;
  label: string;
  value: string;
  /** Enter adds something (a user, an interface, a key) rather than editing a value. */
  adds?: boolean;
  /** Enter flips the value instead of asking for text. */
  toggles?: boolean;
  /** Secret values are shown as set/unset only. */
  secret?: boolean;
  help?: string;
}

export class FieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldError';
  }
}

export type ContainerKind = 'zones' | 'jails' | 'containers';
export type AnyContainer = ZoneConfig | JailConfig | ContainerConfig;

/** What the target platform offers: zones on illumos, jails on FreeBSD, containers on Linux. */
export function containerKind(platform: Platform): ContainerKind {
  return platform === 'illumos' ? 'zones' : platform === 'freebsd' ? 'jails' : 'containers';
}
export const CONTAINER_NOUN: Record<ContainerKind, string> = {
  zones: 'zone',
  jails: 'jail',
  containers: 'container',
};

/**
 * What the schema makes of `{}`, written out so that the first screen does not
 * have to build the zod schema (a test checks the two agree).
 */
export function emptyConfig(): UnifiedConfig {
  return {
    system: { environment: {} },
    storage: {
      pools: [],
      filesystems: [],
      mounts: [],
      zfs_datasets: [],
      zfs_snapshots: [],
      zfs_replication: [],
    },
    networking: {
      interfaces: [],
      nameservers: [],
      search_domains: [],
      routes: [],
      ntp_servers: [],
    },
    software: {
      update_on_boot: false,
      upgrade_on_boot: false,
      packages_to_install: [],
      packages_to_remove: [],
    },
    users: [],
    scripts: { early_scripts: [], main_scripts: [], late_scripts: [], always_scripts: [] },
    integrations: {},
    containers: { zones: [], jails: [], containers: [] },
  };
}

export function containersOf(config: UnifiedConfig, platform: Platform): AnyContainer[] {
  return config.containers[containerKind(platform)];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function addContainer(
  config: UnifiedConfig,
  platform: Platform,
  name: string,
): UnifiedConfig {
  const n = name.trim();
  if (!NAME.test(n))
    throw new FieldError('a name of letters, digits and _ . - (starting with a letter or digit)');
  const kind = containerKind(platform);
  if (config.containers[kind].some((c) => c.name === n))
    throw new FieldError(`${n} exists already`);
  let entry: AnyContainer;
  if (kind === 'zones')
    entry = {
      name: n,
      brand: 'lipkg',
      state: 'running',
      zonepath: `/zones/${n}`,
      networks: [],
      properties: {},
    };
  else if (kind === 'jails')
    entry = {
      name: n,
      path: `/usr/jails/${n}`,
      hostname: n,
      ip_addresses: [],
      interfaces: [],
      parameters: {},
      auto_start: true,
    };
  else
    entry = {
      name: n,
      image: 'docker.io/library/debian:bookworm',
      runtime: 'podman',
      state: 'running',
      environment: {},
      volumes: [],
      ports: [],
      networks: [],
    };
  return {
    ...config,
    containers: { ...config.containers, [kind]: [...config.containers[kind], entry] },
  };
}

export function removeContainer(
  config: UnifiedConfig,
  platform: Platform,
  index: number,
): UnifiedConfig {
  const kind = containerKind(platform);
  return {
    ...config,
    containers: {
      ...config.containers,
      [kind]: config.containers[kind].filter((_, i) => i !== index),
    },
  };
}

function addressText(i: InterfaceConfig): string {
  if (i.addresses.length === 0) return '(none)';
  return i.addresses.map((a) => (typeof a.kind === 'string' ? a.kind : a.kind.static)).join(', ');
}

function sudoText(u: UserConfig): string {
  if (u.sudo === undefined) return 'not set';
  return typeof u.sudo === 'string' ? u.sudo : `custom (${u.sudo.custom.length} rules)`;
}

function userFields(users: readonly UserConfig[]): Field[] {
  const out: Field[] = [];
  users.forEach((u, i) => {
    out.push({ id: `user:${i}:name`, label: `user ${u.name}`, value: u.name });
    out.push({
      id: `user:${i}:ssh_key`,
      label: '  ssh keys',
      value: u.authentication.ssh_keys.length
        ? u.authentication.ssh_keys.map(shortKey).join(', ')
        : '(none) — Enter adds one',
      help: 'paste one authorized_keys line; each Enter adds another',
    });
    out.push({
      id: `user:${i}:sudo`,
      label: '  sudo',
      value: sudoText(u),
      toggles: true,
      help: 'Enter switches deny / unrestricted',
    });
    out.push({
      id: `user:${i}:password`,
      label: '  password hash',
      value: u.authentication.password ? '(set)' : '(none)',
      secret: true,
      help: 'a crypt(3) hash such as $6$…; it is never shown or logged',
    });
    out.push({ id: `user:${i}:remove`, label: '  remove this user', value: '', toggles: true });
  });
  out.push({
    id: 'user:add',
    label: '+ add user',
    value: '',
    adds: true,
    help: 'type the login name',
  });
  return out;
}

function shortKey(k: string): string {
  const parts = k.trim().split(/\s+/);
  const comment = parts[2] ?? '';
  return `${parts[0] ?? ''} …${(parts[1] ?? '').slice(-8)}${comment ? ' ' + comment : ''}`;
}

export function systemFields(config: UnifiedConfig): Field[] {
  const out: Field[] = [
    {
      id: 'hostname',
      label: 'hostname',
      value: config.system.hostname ?? '',
      help: 'short host name',
    },
    {
      id: 'timezone',
      label: 'timezone',
      value: config.system.timezone ?? '',
      help: 'IANA zone, e.g. UTC or Europe/Berlin',
    },
  ];
  config.networking.interfaces.forEach((iface, i) => {
    out.push({ id: `iface:${i}:name`, label: `interface ${iface.name}`, value: iface.name });
    out.push({
      id: `iface:${i}:address`,
      label: '  address',
      value: addressText(iface),
      help: 'dhcp, or an address with prefix such as 192.0.2.10/24',
    });
    out.push({
      id: `iface:${i}:gateway`,
      label: '  gateway',
      value: iface.gateway ?? '',
      help: 'default gateway for a static address',
    });
    out.push({
      id: `iface:${i}:remove`,
      label: '  remove this interface',
      value: '',
      toggles: true,
    });
  });
  out.push({
    id: 'iface:add',
    label: '+ add interface',
    value: '',
    adds: true,
    help: 'type the interface name, e.g. eth0',
  });
  out.push(...userFields(config.users));
  return out;
}

function nested(c: AnyContainer): UnifiedConfig {
  return c.sysconfig ?? emptyConfig();
}

export function containerFields(config: UnifiedConfig, platform: Platform, index: number): Field[] {
  const kind = containerKind(platform);
  const c = config.containers[kind][index];
  if (!c) return [];
  const out: Field[] = [{ id: 'name', label: 'name', value: c.name }];
  if (kind === 'zones') {
    const z = c as ZoneConfig;
    out.push({
      id: 'brand',
      label: 'brand',
      value: z.brand,
      help: 'sparse, lipkg, ipkg, pkgsrc, lx, bhyve…',
    });
    out.push({ id: 'zonepath', label: 'zonepath', value: z.zonepath });
    out.push({ id: 'state', label: 'state', value: z.state, toggles: true });
  } else if (kind === 'jails') {
    const j = c as JailConfig;
    out.push({ id: 'path', label: 'path', value: j.path });
    out.push({
      id: 'ip',
      label: 'ip addresses',
      value: j.ip_addresses.join(', '),
      help: 'comma separated',
    });
    out.push({
      id: 'auto_start',
      label: 'start at boot',
      value: j.auto_start ? 'yes' : 'no',
      toggles: true,
    });
  } else {
    const k = c as ContainerConfig;
    out.push({
      id: 'image',
      label: 'image',
      value: k.image,
      help: 'image reference, e.g. docker.io/library/debian:bookworm',
    });
    out.push({ id: 'runtime', label: 'runtime', value: k.runtime, toggles: true });
    out.push({ id: 'state', label: 'state', value: k.state, toggles: true });
    out.push({
      id: 'command',
      label: 'command',
      value: (k.command ?? []).join(' '),
      help: 'words separated by spaces, for an image without a command',
    });
  }
  const sys = nested(c);
  out.push({ id: 'sys:hostname', label: 'hostname (inside)', value: sys.system.hostname ?? '' });
  out.push({
    id: 'sys:packages',
    label: 'packages (inside)',
    value: sys.software.packages_to_install.join(', '),
    help: 'comma separated package names',
  });
  out.push({
    id: 'sys:script',
    label: 'script (inside)',
    value: sys.scripts.main_scripts[0]?.content.split('\n')[0] ?? '',
    help: 'a shell command line run once inside (first main script)',
  });
  out.push(
    ...userFields(sys.users).map((f) => ({
      ...f,
      id: `sys:${f.id}`,
      label: f.label.startsWith('+') ? '+ add user (inside)' : f.label,
    })),
  );
  return out;
}

const STATES: Record<ContainerKind, readonly string[]> = {
  zones: ['running', 'installed', 'configured'],
  jails: [],
  containers: ['running', 'created', 'stopped'],
};

function cycle<T extends string>(list: readonly T[], cur: T): T {
  return list[(list.indexOf(cur) + 1) % list.length]!;
}

function setUsers(config: UnifiedConfig, id: string, text: string): UnifiedConfig {
  const [, idxText, what] = id.split(':');
  const users = [...config.users];
  if (idxText === 'add') {
    const name = text.trim();
    if (!/^[a-z_][a-z0-9_-]*$/.test(name))
      throw new FieldError('a login name: lower-case letters, digits, _ and -');
    if (users.some((u) => u.name === name)) throw new FieldError(`user ${name} exists already`);
    users.push({
      name,
      groups: [],
      system_user: false,
      create_home: true,
      authentication: { ssh_keys: [], ssh_import_ids: [] },
    });
    return { ...config, users };
  }
  const i = Number(idxText);
  const u = users[i];
  if (!u) throw new FieldError('no such user');
  switch (what) {
    case 'name': {
      const name = text.trim();
      if (!/^[a-z_][a-z0-9_-]*$/.test(name))
        throw new FieldError('a login name: lower-case letters, digits, _ and -');
      users[i] = { ...u, name };
      break;
    }
    case 'ssh_key': {
      const key = text.trim();
      if (key === '') break;
      if (!/^(ssh-|ecdsa-|sk-)\S+\s+\S+/.test(key))
        throw new FieldError('an authorized_keys line: "ssh-ed25519 AAAA… comment"');
      users[i] = {
        ...u,
        authentication: { ...u.authentication, ssh_keys: [...u.authentication.ssh_keys, key] },
      };
      break;
    }
    case 'sudo':
      users[i] = { ...u, sudo: u.sudo === 'unrestricted' ? 'deny' : 'unrestricted' };
      break;
    case 'password': {
      const hash = text.trim();
      const authentication = { ...u.authentication };
      if (hash === '') delete authentication.password;
      else if (!/^\$[0-9a-z]+\$/.test(hash))
        throw new FieldError('a crypt(3) hash, e.g. from "openssl passwd -6" ($6$…)');
      else authentication.password = { hash, expire_on_first_login: false };
      users[i] = { ...u, authentication };
      break;
    }
    case 'remove':
      users.splice(i, 1);
      break;
    default:
      throw new FieldError(`unknown field ${id}`);
  }
  return { ...config, users };
}

function setInterface(config: UnifiedConfig, id: string, text: string): UnifiedConfig {
  const [, idxText, what] = id.split(':');
  const list = [...config.networking.interfaces];
  const net = (interfaces: InterfaceConfig[]) => ({
    ...config,
    networking: { ...config.networking, interfaces },
  });
  if (idxText === 'add') {
    const name = text.trim();
    if (!/^[A-Za-z][A-Za-z0-9_.:-]*$/.test(name))
      throw new FieldError('an interface name, e.g. eth0 or vioif0');
    list.push({ name, addresses: [{ name: 'v4', kind: 'dhcp4' }] });
    return net(list);
  }
  const i = Number(idxText);
  const iface = list[i];
  if (!iface) throw new FieldError('no such interface');
  if (what === 'remove') {
    list.splice(i, 1);
    return net(list);
  }
  if (what === 'name') list[i] = { ...iface, name: text.trim() };
  else if (what === 'gateway') {
    const g = text.trim();
    const copy = { ...iface };
    if (g === '') delete copy.gateway;
    else if (!/^[0-9a-fA-F:.]+$/.test(g)) throw new FieldError('an IP address');
    else copy.gateway = g;
    list[i] = copy;
  } else if (what === 'address') {
    const a = text.trim().toLowerCase();
    if (a === 'dhcp' || a === 'dhcp4')
      list[i] = { ...iface, addresses: [{ name: 'v4', kind: 'dhcp4' }] };
    else if (/^[0-9a-f:.]+\/\d{1,3}$/.test(a))
      list[i] = { ...iface, addresses: [{ name: 'v4', kind: { static: a } }] };
    else throw new FieldError('"dhcp", or an address with prefix such as 192.0.2.10/24');
  } else throw new FieldError(`unknown field ${id}`);
  return net(list);
}

/** Apply the text typed for a field (toggles ignore the text). */
export function setField(
  config: UnifiedConfig,
  platform: Platform,
  scope: FieldScope,
  id: string,
  text: string,
): UnifiedConfig {
  if (scope.kind === 'system') {
    if (id === 'hostname' || id === 'timezone') {
      const system = { ...config.system };
      const v = text.trim();
      if (v === '') delete system[id];
      else if (id === 'hostname' && !/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/.test(v))
        throw new FieldError('letters, digits and -, at most 63');
      else system[id] = v;
      return { ...config, system };
    }
    if (id.startsWith('iface:')) return setInterface(config, id, text);
    if (id.startsWith('user:')) return setUsers(config, id, text);
    throw new FieldError(`unknown field ${id}`);
  }
  const kind = containerKind(platform);
  const list = [...config.containers[kind]] as AnyContainer[];
  const c = list[scope.index];
  if (!c) throw new FieldError('no such entry');
  let next: AnyContainer = c;
  const v = text.trim();
  if (id.startsWith('sys:')) {
    const sub = id.slice(4);
    const sys = nested(c);
    let s2: UnifiedConfig;
    if (sub === 'hostname') s2 = setField(sys, platform, { kind: 'system' }, 'hostname', v);
    else if (sub === 'packages')
      s2 = {
        ...sys,
        software: { ...sys.software, packages_to_install: v.split(/[,\s]+/).filter(Boolean) },
      };
    else if (sub === 'script') {
      const rest = sys.scripts.main_scripts.slice(1);
      const main_scripts =
        v === '' ? rest : [{ id: 'setup', content: v, environment: {}, run_once: true }, ...rest];
      s2 = { ...sys, scripts: { ...sys.scripts, main_scripts } };
    } else if (sub.startsWith('user:')) s2 = setUsers(sys, sub, text);
    else throw new FieldError(`unknown field ${id}`);
    next = { ...c, sysconfig: s2 };
  } else if (id === 'name') {
    if (!NAME.test(v)) throw new FieldError('letters, digits and _ . -');
    next = { ...c, name: v };
  } else if (kind === 'zones') {
    const z = c as ZoneConfig;
    if (id === 'brand') next = { ...z, brand: v };
    else if (id === 'zonepath') {
      if (!v.startsWith('/')) throw new FieldError('an absolute path');
      next = { ...z, zonepath: v };
    } else if (id === 'state')
      next = { ...z, state: cycle(STATES.zones, z.state) as ZoneConfig['state'] };
    else throw new FieldError(`unknown field ${id}`);
  } else if (kind === 'jails') {
    const j = c as JailConfig;
    if (id === 'path') {
      if (!v.startsWith('/')) throw new FieldError('an absolute path');
      next = { ...j, path: v };
    } else if (id === 'ip') next = { ...j, ip_addresses: v.split(/[,\s]+/).filter(Boolean) };
    else if (id === 'auto_start') next = { ...j, auto_start: !j.auto_start };
    else throw new FieldError(`unknown field ${id}`);
  } else {
    const k = c as ContainerConfig;
    if (id === 'image') {
      if (v === '' || /\s/.test(v)) throw new FieldError('an image reference without spaces');
      next = { ...k, image: v };
    } else if (id === 'runtime')
      next = {
        ...k,
        runtime: cycle(['podman', 'docker'] as const, k.runtime as 'podman' | 'docker'),
      };
    else if (id === 'state')
      next = { ...k, state: cycle(STATES.containers, k.state) as ContainerConfig['state'] };
    else if (id === 'command') {
      const copy = { ...k };
      if (v === '') delete copy.command;
      else copy.command = v.split(/\s+/);
      next = copy;
    } else throw new FieldError(`unknown field ${id}`);
  }
  list[scope.index] = next;
  return { ...config, containers: { ...config.containers, [kind]: list } };
}
