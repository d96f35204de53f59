/**
 * Forms as data: the fields the Containers and System screens show, and the
 * pure edit each one makes to the config. A field id names what it edits
 * (`hostname`, `iface:0:address`, `user:1:ssh_key`, `ports:0:host_port`);
 * `setField` parses the typed text and returns a new config, or throws
 * FieldError with what to type. A row may open a form of its own (a list such
 * as a container's ports, or one entry of it): `formOf` gives the form by id.
 */
import type {
  ContainerConfig,
  JailConfig,
  UnifiedConfig,
  UserConfig,
  ZoneConfig,
} from '../schema/config.js';
import type { Platform } from '../plan/types.js';
import { type Field, FieldError, type Form, ordered } from './form.js';
import {
  entryForm,
  jailRows,
  linuxRows,
  setJail,
  setLinux,
  setZone,
  zoneRows,
} from './container-fields.js';
import {
  interfaceRows,
  isNetworkingField,
  networkingForm,
  networkingRows,
  setNetworking,
} from './net-fields.js';

export { type Field, FieldError, type Form } from './form.js';

export type FieldScope = { kind: 'system' } | { kind: 'container'; index: number };

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
  config.networking.interfaces.forEach((iface, i) => out.push(...interfaceRows(iface, i)));
  out.push({
    id: 'iface:add',
    label: '+ add interface',
    value: '',
    adds: true,
    help: 'type the interface name, e.g. eth0',
  });
  out.push(...userFields(config.users));
  out.push(...networkingRows(config.networking));
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
  if (kind === 'zones') out.push(...zoneRows(c as ZoneConfig));
  else if (kind === 'jails') out.push(...jailRows(c as JailConfig));
  else out.push(...linuxRows(c as ContainerConfig));
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
    value: escapeLines(sys.scripts.main_scripts[0]?.content ?? ''),
    help: 'the first main script, run once inside; \\n is a new line, \\t a tab, \\\\ a backslash',
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

/** A multi-line text on one prompt line: newline → \n, tab → \t, backslash → \\ (lossless). */
export function escapeLines(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** The inverse of escapeLines; a lone backslash before anything else stays as typed. */
export function unescapeLines(text: string): string {
  return text.replace(/\\([\\nt])/g, (_, c: string) =>
    c === 'n' ? '\n' : c === 't' ? '\t' : '\\',
  );
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
      users[i] = ordered(
        { ...u, sudo: u.sudo === 'unrestricted' ? 'deny' : 'unrestricted' },
        USER_KEYS,
      );
      break;
    case 'password': {
      const hash = text.trim();
      if (hash !== '' && !/^\$[0-9a-z]+\$/.test(hash))
        throw new FieldError('a crypt(3) hash, e.g. from "openssl passwd -6" ($6$…)');
      const password = hash === '' ? undefined : { hash, expire_on_first_login: false };
      users[i] = {
        ...u,
        authentication: ordered({ ...u.authentication, password }, AUTHENTICATION_KEYS),
      };
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

/** Key orders of the schema (test/screens/forms-networking.test.tsx compares them). */
export const SYSTEM_KEYS = [
  'hostname',
  'fqdn',
  'timezone',
  'locale',
  'environment',
] as const satisfies readonly (keyof UnifiedConfig['system'])[];
export const USER_KEYS = [
  'name',
  'description',
  'shell',
  'groups',
  'primary_group',
  'system_user',
  'home_directory',
  'uid',
  'create_home',
  'sudo',
  'authentication',
] as const satisfies readonly (keyof UserConfig)[];
export const AUTHENTICATION_KEYS = [
  'password',
  'ssh_keys',
  'ssh_import_ids',
] as const satisfies readonly (keyof UserConfig['authentication'])[];

/** The first host interface: the link a new zone net is created over. */
function hostLink(config: UnifiedConfig): string {
  return config.networking.interfaces[0]?.name ?? 'net0';
}

/**
 * A form of the System screen (scope system) or of one zone/jail/container:
 * the first level when `id` is undefined, else the list or entry form `id`
 * names; null when what it shows is gone.
 */
export function formOf(
  config: UnifiedConfig,
  platform: Platform,
  scope: FieldScope,
  id?: string,
): Form | null {
  if (scope.kind === 'system')
    return id === undefined
      ? { title: 'system', fields: systemFields(config) }
      : networkingForm(config, id);
  const kind = containerKind(platform);
  const c = config.containers[kind][scope.index];
  if (!c) return null;
  return id === undefined
    ? { title: c.name, fields: containerFields(config, platform, scope.index) }
    : entryForm(kind, c, id, hostLink(config));
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
      const v = text.trim();
      if (v !== '' && id === 'hostname' && !/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/.test(v))
        throw new FieldError('letters, digits and -, at most 63');
      return {
        ...config,
        system: ordered({ ...config.system, [id]: v === '' ? undefined : v }, SYSTEM_KEYS),
      };
    }
    if (isNetworkingField(id)) return setNetworking(config, id, text);
    if (id.startsWith('user:')) return setUsers(config, id, text);
    throw new FieldError(`unknown field ${id}`);
  }
  const kind = containerKind(platform);
  const list = [...config.containers[kind]] as AnyContainer[];
  const c = list[scope.index];
  if (!c) throw new FieldError('no such entry');
  let next: AnyContainer;
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
      const [first, ...rest] = sys.scripts.main_scripts;
      // as typed (not trimmed): Enter on an unchanged script changes nothing
      const content = text.trim() === '' ? '' : unescapeLines(text);
      // an edit changes the content only: id, interpreter, environment… stay
      const main_scripts =
        content === ''
          ? rest
          : first
            ? [first.content === content ? first : { ...first, content }, ...rest]
            : [{ id: 'setup', content, environment: {}, run_once: true }];
      s2 = { ...sys, scripts: { ...sys.scripts, main_scripts } };
    } else if (sub.startsWith('user:')) s2 = setUsers(sys, sub, text);
    else throw new FieldError(`unknown field ${id}`);
    next = { ...c, sysconfig: s2 };
  } else if (id === 'name') {
    if (!NAME.test(v)) throw new FieldError('letters, digits and _ . -');
    next = { ...c, name: v };
  } else if (kind === 'zones') next = setZone(c as ZoneConfig, id, text, hostLink(config));
  else if (kind === 'jails') next = setJail(c as JailConfig, id, text);
  else next = setLinux(c as ContainerConfig, id, text);
  list[scope.index] = next;
  return { ...config, containers: { ...config.containers, [kind]: list } };
}
