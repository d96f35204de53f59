/**
 * The Containers screen's own rows for each kind of workload, the forms below
 * them (a container's environment, ports, volumes and networks; a zone's nets
 * and properties; a jail's addresses, interfaces and parameters) and their pure
 * edits. Ids: `ports`, `ports:1`, `ports:1:host_port`, `env:0`, `nets:add`.
 */
import type { ContainerConfig, JailConfig, ZoneConfig } from '../schema/config.js';
import {
  type Field,
  FieldError,
  type Form,
  editList,
  editMap,
  listEdit,
  listForm,
  listRow,
  optional,
  optionalDecimal,
  optionalWhole,
  ordered,
  wholeNumber,
  words,
} from './form.js';
import { isSecretName } from './serialize.js';

type Port = ContainerConfig['ports'][number];
type Volume = ContainerConfig['volumes'][number];
type ZoneNet = ZoneConfig['networks'][number];

/** Key orders of the schema (test/screens/forms-containers.test.tsx compares them). */
export const ZONE_KEYS = [
  'name',
  'brand',
  'state',
  'zonepath',
  'networks',
  'resources',
  'properties',
  'sysconfig',
] as const satisfies readonly (keyof ZoneConfig)[];
export const ZONE_RESOURCE_KEYS = [
  'cpu_cap',
  'cpu_shares',
  'physical_memory_cap',
  'swap_memory_cap',
] as const satisfies readonly (keyof NonNullable<ZoneConfig['resources']>)[];
export const ZONE_NET_KEYS = [
  'interface',
  'physical',
  'address',
  'defrouter',
] as const satisfies readonly (keyof ZoneNet)[];
export const JAIL_KEYS = [
  'name',
  'jid',
  'path',
  'hostname',
  'ip_addresses',
  'interfaces',
  'parameters',
  'auto_start',
  'sysconfig',
] as const satisfies readonly (keyof JailConfig)[];
export const CONTAINER_KEYS = [
  'name',
  'image',
  'runtime',
  'state',
  'command',
  'environment',
  'volumes',
  'ports',
  'networks',
  'resources',
  'sysconfig',
] as const satisfies readonly (keyof ContainerConfig)[];
export const CONTAINER_RESOURCE_KEYS = [
  'cpu_limit',
  'memory_limit',
  'memory_swap_limit',
] as const satisfies readonly (keyof NonNullable<ContainerConfig['resources']>)[];
export const PORT_KEYS = [
  'host_port',
  'container_port',
  'protocol',
  'host_ip',
] as const satisfies readonly (keyof Port)[];
export const VOLUME_KEYS = [
  'source',
  'target',
  'mount_type',
  'options',
] as const satisfies readonly (keyof Volume)[];

const STATES = {
  zones: ['running', 'installed', 'configured'],
  containers: ['running', 'created', 'stopped'],
} as const;

function cycle<T extends string>(list: readonly T[], cur: T): T {
  return list[(list.indexOf(cur) + 1) % list.length]!;
}

function absolute(text: string): string {
  const v = text.trim();
  if (!v.startsWith('/')) throw new FieldError('an absolute path');
  return v;
}

function num(n: number | undefined): string {
  return n === undefined ? '' : String(n);
}

// ── how entries read in one line ────────────────────────────────────────────

function portText(p: Port): string {
  return `${p.host_port} → ${p.container_port}/${p.protocol}${p.host_ip ? ` on ${p.host_ip}` : ''}`;
}

function volumeText(v: Volume): string {
  const type = v.mount_type === 'bind' ? '' : ` (${v.mount_type})`;
  const opts = v.options.length ? ` ${v.options.join(',')}` : '';
  return `${v.source} → ${v.target}${type}${opts}`;
}

function netText(n: ZoneNet): string {
  return [
    `${n.physical} over ${n.interface}`,
    n.address ?? '',
    n.defrouter !== undefined ? `via ${n.defrouter}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function pairs(map: Readonly<Record<string, string>>): string[] {
  return Object.entries(map).map(([k, v]) => `${k}=${v}`);
}

// ── rows on the first level ─────────────────────────────────────────────────

export function zoneRows(z: ZoneConfig): Field[] {
  const r = z.resources ?? {};
  return [
    {
      id: 'brand',
      label: 'brand',
      value: z.brand,
      help: 'sparse, lipkg, ipkg, pkgsrc, lx, bhyve…',
    },
    { id: 'zonepath', label: 'zonepath', value: z.zonepath },
    { id: 'state', label: 'state', value: z.state, toggles: true },
    listRow('nets', 'networks', z.networks.map(netText), 'VNICs of the zone (add net)'),
    listRow(
      'props',
      'properties',
      pairs(z.properties),
      'zonecfg properties: autoboot, ip-type, pool, dataset (delegated), attrs…',
    ),
    {
      id: 'cpu_cap',
      label: 'cpu cap',
      value: num(r.cpu_cap),
      help: 'capped-cpu: CPUs, e.g. 1.5 (empty: no cap)',
    },
    {
      id: 'cpu_shares',
      label: 'cpu shares',
      value: num(r.cpu_shares),
      help: 'fair-share scheduler shares, e.g. 100 (empty: default)',
    },
    {
      id: 'physical_memory_cap',
      label: 'memory cap',
      value: r.physical_memory_cap ?? '',
      help: 'capped-memory physical, e.g. 2G (empty: no cap)',
    },
    {
      id: 'swap_memory_cap',
      label: 'swap cap',
      value: r.swap_memory_cap ?? '',
      help: 'capped-memory swap, e.g. 4G (empty: no cap)',
    },
  ];
}

export function jailRows(j: JailConfig): Field[] {
  return [
    { id: 'path', label: 'path', value: j.path },
    {
      id: 'hostname',
      label: 'hostname',
      value: j.hostname ?? '',
      help: 'host.hostname, e.g. web.example.org (empty: not set)',
    },
    {
      id: 'jid',
      label: 'jid',
      value: num(j.jid),
      help: 'a jail ID, 1 or more (empty: the kernel chooses)',
    },
    listRow('ip', 'ip addresses', j.ip_addresses, 'ip4.addr / ip6.addr'),
    listRow('ifaces', 'interfaces', j.interfaces, 'host interfaces for the addresses'),
    listRow('params', 'parameters', pairs(j.parameters), 'jail.conf(5) parameters'),
    {
      id: 'auto_start',
      label: 'start at boot',
      value: j.auto_start ? 'yes' : 'no',
      toggles: true,
    },
  ];
}

export function linuxRows(k: ContainerConfig): Field[] {
  const r = k.resources ?? {};
  return [
    {
      id: 'image',
      label: 'image',
      value: k.image,
      help: 'image reference, e.g. docker.io/library/debian:bookworm',
    },
    { id: 'runtime', label: 'runtime', value: k.runtime, toggles: true },
    { id: 'state', label: 'state', value: k.state, toggles: true },
    {
      id: 'command',
      label: 'command',
      value: (k.command ?? []).join(' '),
      help: 'words separated by spaces, for an image without a command',
    },
    listRow('env', 'environment', Object.keys(k.environment)),
    listRow('ports', 'ports', k.ports.map(portText), 'published ports'),
    listRow('volumes', 'volumes', k.volumes.map(volumeText)),
    listRow('networks', 'networks', k.networks, 'created when missing'),
    {
      id: 'cpu_limit',
      label: 'cpu limit',
      value: num(r.cpu_limit),
      help: 'CPUs, e.g. 1.5 (empty: no limit)',
    },
    {
      id: 'memory_limit',
      label: 'memory limit',
      value: r.memory_limit ?? '',
      help: 'e.g. 512M or 2G (empty: no limit)',
    },
    {
      id: 'memory_swap_limit',
      label: 'memory+swap limit',
      value: r.memory_swap_limit ?? '',
      help: 'memory plus swap, e.g. 1G; -1 for unlimited swap (empty: not set)',
    },
  ];
}

// ── forms below the first level ─────────────────────────────────────────────

function scalarList(id: string, title: string, noun: string, items: string[], help: string): Form {
  return listForm({
    id,
    title,
    noun,
    items,
    row: (s) => ({ label: s, value: '', text: s }),
    help,
    addHelp: help,
  });
}

function mapList(
  id: string,
  title: string,
  noun: string,
  map: Readonly<Record<string, string>>,
  help: string,
  secret: (name: string) => boolean = () => false,
): Form {
  return listForm({
    id,
    title,
    noun,
    items: Object.entries(map),
    row: ([k, v]) =>
      secret(k)
        ? { label: k, value: '(set)', secret: true, text: `${k}=` }
        : { label: k, value: v, text: `${k}=${v}` },
    help,
    addHelp: help,
  });
}

/**
 * A form below a zone's, jail's or container's first level, or null when it is
 * gone. `hostLink` is the link a new zone net goes over (the first host interface).
 */
export function entryForm(
  kind: 'zones' | 'jails' | 'containers',
  c: ZoneConfig | JailConfig | ContainerConfig,
  id: string,
  hostLink: string,
): Form | null {
  const [head, n, more] = id.split(':');
  const at = n === undefined ? undefined : Number(n);
  if (more !== undefined) return null;
  if (kind === 'zones') {
    const z = c as ZoneConfig;
    if (head === 'props' && at === undefined)
      return mapList(
        'props',
        'properties',
        'property',
        z.properties,
        'name=value, e.g. autoboot=true, dataset=tank/zones/web, or an attr such as comment=web',
      );
    if (head !== 'nets') return null;
    if (at === undefined)
      return listForm({
        id: 'nets',
        title: 'networks',
        noun: 'net',
        items: z.networks,
        row: (x, i) => ({ label: `net ${i + 1}`, value: netText(x) }),
        entryForms: true,
        addHelp: `the zone's VNIC, e.g. vnic0 (created over ${hostLink}; Enter on the new net changes that)`,
      });
    const x = z.networks[at];
    if (!x) return null;
    const p = `nets:${at}`;
    return {
      title: `net ${at + 1}`,
      fields: [
        {
          id: `${p}:physical`,
          label: 'vnic (physical)',
          value: x.physical,
          help: 'the VNIC name, e.g. vnic0',
        },
        {
          id: `${p}:interface`,
          label: 'over link',
          value: x.interface,
          help: 'the host link the VNIC is created over (global-nic), e.g. net0',
        },
        {
          id: `${p}:address`,
          label: 'address',
          value: x.address ?? '',
          help: 'an address with prefix, e.g. 192.0.2.10/24 (empty: none, for exclusive IP)',
        },
        {
          id: `${p}:defrouter`,
          label: 'default router',
          value: x.defrouter ?? '',
          help: 'the default router, e.g. 192.0.2.1 (empty: none)',
        },
      ],
    };
  }
  if (kind === 'jails') {
    const j = c as JailConfig;
    if (at !== undefined) return null;
    if (head === 'ip')
      return scalarList(
        'ip',
        'ip addresses',
        'address',
        j.ip_addresses,
        'an address, optionally with prefix: 192.0.2.10/24, 2001:db8::10 or em0|192.0.2.10',
      );
    if (head === 'ifaces')
      return scalarList(
        'ifaces',
        'interfaces',
        'interface',
        j.interfaces,
        'a host interface such as em0',
      );
    if (head === 'params')
      return mapList(
        'params',
        'parameters',
        'parameter',
        j.parameters,
        'name=value, e.g. allow.raw_sockets=1 or enforce_statfs=1',
      );
    return null;
  }
  const k = c as ContainerConfig;
  switch (head) {
    case 'env':
      return at === undefined
        ? mapList('env', 'environment', 'variable', k.environment, 'NAME=value', isSecretName)
        : null;
    case 'networks':
      return at === undefined
        ? scalarList(
            'networks',
            'networks',
            'network',
            k.networks,
            'a network name, e.g. web-network (or host, none)',
          )
        : null;
    case 'ports': {
      if (at === undefined)
        return listForm({
          id: 'ports',
          title: 'ports',
          noun: 'port',
          items: k.ports,
          row: (x, i) => ({ label: `port ${i + 1}`, value: portText(x) }),
          entryForms: true,
          addHelp: 'HOST:CONTAINER, e.g. 8080:80, 53:53/udp or 127.0.0.1:8080:80',
        });
      const x = k.ports[at];
      if (!x) return null;
      const p = `ports:${at}`;
      return {
        title: `port ${at + 1}`,
        fields: [
          { id: `${p}:host_port`, label: 'host port', value: String(x.host_port), help: '1–65535' },
          {
            id: `${p}:container_port`,
            label: 'container port',
            value: String(x.container_port),
            help: '1–65535',
          },
          { id: `${p}:protocol`, label: 'protocol', value: x.protocol, toggles: true },
          {
            id: `${p}:host_ip`,
            label: 'host address',
            value: x.host_ip ?? '',
            help: 'listen on this address only, e.g. 127.0.0.1 (empty: all)',
          },
        ],
      };
    }
    case 'volumes': {
      if (at === undefined)
        return listForm({
          id: 'volumes',
          title: 'volumes',
          noun: 'volume',
          items: k.volumes,
          row: (x, i) => ({ label: `volume ${i + 1}`, value: volumeText(x) }),
          entryForms: true,
          addHelp:
            'SOURCE:TARGET[:options], e.g. /srv/www:/usr/share/nginx/html:ro or data:/var/lib/db',
        });
      const x = k.volumes[at];
      if (!x) return null;
      const p = `volumes:${at}`;
      return {
        title: `volume ${at + 1}`,
        fields: [
          {
            id: `${p}:source`,
            label: 'source',
            value: x.source,
            help: 'a host path (bind), a volume name, or tmpfs',
          },
          {
            id: `${p}:target`,
            label: 'target',
            value: x.target,
            help: 'an absolute path in the container',
          },
          { id: `${p}:mount_type`, label: 'type', value: x.mount_type, toggles: true },
          {
            id: `${p}:options`,
            label: 'options',
            value: x.options.join(','),
            help: 'comma separated, e.g. ro,z (tmpfs: size=64m,mode=1777)',
          },
        ],
      };
    }
    default:
      return null;
  }
}

// ── edits ───────────────────────────────────────────────────────────────────

function parsePort(text: string): Port {
  let v = text.trim();
  let protocol: Port['protocol'] = 'tcp';
  const slash = /\/(tcp|udp)$/i.exec(v);
  if (slash) {
    protocol = slash[1]!.toLowerCase() as Port['protocol'];
    v = v.slice(0, slash.index);
  }
  const parts = v.split(':');
  const container = parts.pop()!;
  const host = parts.length ? parts.pop()! : container;
  const hostIp = parts.length ? parts.join(':').replace(/^\[(.*)\]$/, '$1') : undefined;
  if (!/^\d+$/.test(host) || !/^\d+$/.test(container))
    throw new FieldError('HOST:CONTAINER ports, e.g. 8080:80 (or 53:53/udp, 127.0.0.1:8080:80)');
  return ordered(
    {
      host_port: Number(host),
      container_port: Number(container),
      protocol,
      host_ip: hostIp,
    },
    PORT_KEYS,
  );
}

function setPortKey(p: Port, key: string, text: string): Port {
  switch (key) {
    case 'host_port':
      return { ...p, host_port: wholeNumber(text, 'a port') };
    case 'container_port':
      return { ...p, container_port: wholeNumber(text, 'a port') };
    case 'protocol':
      return { ...p, protocol: p.protocol === 'tcp' ? 'udp' : 'tcp' };
    case 'host_ip':
      return ordered({ ...p, host_ip: optional(text) }, PORT_KEYS);
    default:
      throw new FieldError(`unknown field ${key}`);
  }
}

function parseVolume(text: string): Volume {
  const [source, target, options] = text.trim().split(':');
  if (!source || !target)
    throw new FieldError('SOURCE:TARGET, e.g. /srv/www:/var/www or data:/var/lib/db');
  return {
    source,
    target,
    mount_type: source.startsWith('/') ? 'bind' : source === 'tmpfs' ? 'tmpfs' : 'volume',
    options: words(options ?? ''),
  };
}

function setVolumeKey(v: Volume, key: string, text: string): Volume {
  switch (key) {
    case 'source':
      return { ...v, source: text.trim() };
    case 'target':
      return { ...v, target: text.trim() };
    case 'mount_type':
      return { ...v, mount_type: cycle(['bind', 'volume', 'tmpfs'] as const, v.mount_type) };
    case 'options':
      return { ...v, options: words(text) };
    default:
      throw new FieldError(`unknown field ${key}`);
  }
}

function setNetKey(n: ZoneNet, key: string, text: string): ZoneNet {
  const v = text.trim();
  switch (key) {
    case 'physical':
    case 'interface':
      if (v === '') throw new FieldError('a link name, e.g. vnic0 or net0');
      return { ...n, [key]: v };
    case 'address':
    case 'defrouter':
      return ordered({ ...n, [key]: optional(v) }, ZONE_NET_KEYS);
    default:
      throw new FieldError(`unknown field ${key}`);
  }
}

function scalar(text: string): string {
  const v = text.trim();
  if (v === '') throw new FieldError('write a value (x removes the row)');
  return v;
}

/** `resources` with one key set; left out when nothing is left in it. */
function withResource<R extends object>(
  resources: R | undefined,
  keys: readonly (keyof R)[],
  key: keyof R,
  value: R[keyof R] | undefined,
): R | undefined {
  const r = ordered({ ...(resources ?? ({} as R)), [key]: value }, keys);
  return Object.keys(r).length ? r : undefined;
}

export function setZone(z: ZoneConfig, id: string, text: string, hostLink: string): ZoneConfig {
  const v = text.trim();
  const put = (patch: Partial<ZoneConfig>) => ordered({ ...z, ...patch }, ZONE_KEYS);
  const res = <K extends keyof NonNullable<ZoneConfig['resources']>>(
    key: K,
    value: NonNullable<ZoneConfig['resources']>[K] | undefined,
  ) => put({ resources: withResource(z.resources, ZONE_RESOURCE_KEYS, key, value) });
  const [head, ...rest] = id.split(':');
  switch (head) {
    case 'brand':
      if (v === '') throw new FieldError('a brand, e.g. sparse or lipkg');
      return put({ brand: v });
    case 'zonepath':
      return put({ zonepath: absolute(v) });
    case 'state':
      return put({ state: cycle(STATES.zones, z.state) });
    case 'cpu_cap':
      return res('cpu_cap', optionalDecimal(v, 'cpu cap'));
    case 'cpu_shares':
      return res('cpu_shares', optionalWhole(v, 'cpu shares'));
    case 'physical_memory_cap':
    case 'swap_memory_cap':
      return res(head, optional(v));
    case 'props':
      return put({
        properties: editMap(z.properties, listEdit(rest.join(':')), text, 'autoboot=true'),
      });
    case 'nets':
      return put({
        networks: editList(
          z.networks,
          listEdit(rest.join(':')),
          text,
          (t) => ({ interface: hostLink, physical: scalar(t) }),
          setNetKey,
        ),
      });
    default:
      throw new FieldError(`unknown field ${id}`);
  }
}

export function setJail(j: JailConfig, id: string, text: string): JailConfig {
  const v = text.trim();
  const put = (patch: Partial<JailConfig>) => ordered({ ...j, ...patch }, JAIL_KEYS);
  const [head, ...rest] = id.split(':');
  switch (head) {
    case 'path':
      return put({ path: absolute(v) });
    case 'hostname':
      return put({ hostname: optional(v) });
    case 'jid':
      return put({ jid: optionalWhole(v, 'a jail ID') });
    case 'ip':
      return put({
        ip_addresses: editList(j.ip_addresses, listEdit(rest.join(':')), text, scalar),
      });
    case 'ifaces':
      return put({ interfaces: editList(j.interfaces, listEdit(rest.join(':')), text, scalar) });
    case 'params':
      return put({
        parameters: editMap(j.parameters, listEdit(rest.join(':')), text, 'allow.raw_sockets=1'),
      });
    case 'auto_start':
      return put({ auto_start: !j.auto_start });
    default:
      throw new FieldError(`unknown field ${id}`);
  }
}

export function setLinux(k: ContainerConfig, id: string, text: string): ContainerConfig {
  const v = text.trim();
  const put = (patch: Partial<ContainerConfig>) => ordered({ ...k, ...patch }, CONTAINER_KEYS);
  const res = <K extends keyof NonNullable<ContainerConfig['resources']>>(
    key: K,
    value: NonNullable<ContainerConfig['resources']>[K] | undefined,
  ) => put({ resources: withResource(k.resources, CONTAINER_RESOURCE_KEYS, key, value) });
  const [head, ...rest] = id.split(':');
  const edit = () => listEdit(rest.join(':'));
  switch (head) {
    case 'image':
      if (v === '' || /\s/.test(v)) throw new FieldError('an image reference without spaces');
      return put({ image: v });
    case 'runtime':
      return put({
        runtime: cycle(['podman', 'docker'] as const, k.runtime as 'podman' | 'docker'),
      });
    case 'state':
      return put({ state: cycle(STATES.containers, k.state) });
    case 'command':
      return put({ command: v === '' ? undefined : v.split(/\s+/) });
    case 'cpu_limit':
      return res('cpu_limit', optionalDecimal(v, 'cpu limit'));
    case 'memory_limit':
    case 'memory_swap_limit':
      return res(head, optional(v));
    case 'env':
      return put({ environment: editMap(k.environment, edit(), text, 'TZ=UTC') });
    case 'networks':
      return put({ networks: editList(k.networks, edit(), text, scalar) });
    case 'ports':
      return put({ ports: editList(k.ports, edit(), text, parsePort, setPortKey) });
    case 'volumes':
      return put({ volumes: editList(k.volumes, edit(), text, parseVolume, setVolumeKey) });
    default:
      throw new FieldError(`unknown field ${id}`);
  }
}
