/**
 * The System screen's networking: each interface's rows and its own form
 * (addresses, gateway, MTU, VLAN, MAC, description), and the lists of name
 * servers, search domains, routes and NTP servers. Forms as data and pure edits
 * of `networking`; field ids are `iface:0:mtu`, `iface:0:addr:1`, `dns:2`,
 * `routes:0:metric`.
 */
import type {
  AddressKind,
  InterfaceConfig,
  NetworkingConfig,
  UnifiedConfig,
} from '../schema/config.js';
import {
  type Field,
  FieldError,
  type Form,
  editList,
  listEdit,
  listForm,
  listRow,
  nameValue,
  optional,
  optionalWhole,
  ordered,
  wholeNumber,
} from './form.js';

type Route = NetworkingConfig['routes'][number];
type Address = InterfaceConfig['addresses'][number];

/** Key orders of the schema (test/screens/forms-networking.test.tsx compares them). */
export const INTERFACE_KEYS = [
  'name',
  'mac_address',
  'addresses',
  'gateway',
  'mtu',
  'description',
  'vlan',
] as const satisfies readonly (keyof InterfaceConfig)[];
export const ROUTE_KEYS = [
  'destination',
  'gateway',
  'interface',
  'metric',
] as const satisfies readonly (keyof Route)[];

/** The ids of edits to `networking` (checked with the validator's networking rules). */
export function isNetworkingField(id: string): boolean {
  return /^(iface|dns|search|ntp|routes):/.test(id);
}

function kindText(kind: AddressKind): string {
  return typeof kind === 'string' ? kind : kind.static;
}

function addressText(i: InterfaceConfig): string {
  if (i.addresses.length === 0) return '(none)';
  return i.addresses.map((a) => kindText(a.kind)).join(', ');
}

function vlanText(i: InterfaceConfig): string {
  return i.vlan ? `${i.vlan.id} on ${i.vlan.parent}` : '';
}

function routeText(r: Route): string {
  return [
    `${r.destination} via ${r.gateway}`,
    r.interface !== undefined ? `dev ${r.interface}` : '',
    r.metric !== undefined ? `metric ${r.metric}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The rows of one interface on the System screen's first level. */
export function interfaceRows(iface: InterfaceConfig, i: number): Field[] {
  const more = [
    iface.mtu !== undefined ? `mtu ${iface.mtu}` : '',
    iface.vlan ? `vlan ${vlanText(iface)}` : '',
    iface.mac_address ?? '',
    iface.description ?? '',
  ].filter(Boolean);
  return [
    {
      id: `iface:${i}`,
      label: `interface ${iface.name}`,
      value: more.length ? more.join(', ') : 'more settings',
      opens: `iface:${i}`,
      help: 'Enter: addresses, MTU, VLAN, MAC address, description',
    },
    {
      id: `iface:${i}:address`,
      label: '  address',
      value: addressText(iface),
      help: 'dhcp4, dhcp6, addrconf, or an address with prefix such as 192.0.2.10/24',
    },
    {
      id: `iface:${i}:gateway`,
      label: '  gateway',
      value: iface.gateway ?? '',
      help: 'default gateway for a static address',
    },
    {
      id: `iface:${i}:remove`,
      label: '  remove this interface',
      value: '',
      toggles: true,
    },
  ];
}

/** The rows after the users: the lists of the networking section. */
export function networkingRows(net: NetworkingConfig): Field[] {
  return [
    listRow('dns', 'name servers', net.nameservers),
    listRow('search', 'search domains', net.search_domains),
    listRow('routes', 'routes', net.routes.map(routeText)),
    listRow('ntp', 'NTP servers', net.ntp_servers),
  ];
}

/** A form below the System screen's first level, or null when it is gone. */
export function networkingForm(config: UnifiedConfig, id: string): Form | null {
  const net = config.networking;
  const parts = id.split(':');
  switch (parts[0]) {
    case 'dns':
      return listForm({
        id: 'dns',
        title: 'name servers',
        noun: 'name server',
        items: net.nameservers,
        row: (s) => ({ label: s, value: '', text: s }),
        help: 'an IP address, e.g. 1.1.1.1',
        addHelp: 'an IP address, e.g. 1.1.1.1',
      });
    case 'search':
      return listForm({
        id: 'search',
        title: 'search domains',
        noun: 'search domain',
        items: net.search_domains,
        row: (s) => ({ label: s, value: '', text: s }),
        help: 'a domain such as example.com',
        addHelp: 'a domain such as example.com',
      });
    case 'ntp':
      return listForm({
        id: 'ntp',
        title: 'NTP servers',
        noun: 'NTP server',
        items: net.ntp_servers,
        row: (s) => ({ label: s, value: '', text: s }),
        help: 'a host name or address, e.g. pool.ntp.org',
        addHelp: 'a host name or address, e.g. pool.ntp.org',
      });
    case 'routes': {
      if (parts.length === 1)
        return listForm({
          id: 'routes',
          title: 'routes',
          noun: 'route',
          items: net.routes,
          row: (r, i) => ({ label: `route ${i + 1}`, value: routeText(r) }),
          entryForms: true,
          addHelp:
            'DESTINATION via GATEWAY, e.g. 10.0.0.0/8 via 192.0.2.1, or default via 192.0.2.1',
        });
      const n = Number(parts[1]);
      const r = net.routes[n];
      if (!r) return null;
      const p = `routes:${n}`;
      return {
        title: `route ${n + 1}`,
        fields: [
          {
            id: `${p}:destination`,
            label: 'destination',
            value: r.destination,
            help: 'a network with prefix, e.g. 10.0.0.0/8, or "default"',
          },
          {
            id: `${p}:gateway`,
            label: 'gateway',
            value: r.gateway,
            help: 'the next hop address, e.g. 192.0.2.1',
          },
          {
            id: `${p}:interface`,
            label: 'interface',
            value: r.interface ?? '',
            help: 'the interface to use, e.g. eth0 (empty: any)',
          },
          {
            id: `${p}:metric`,
            label: 'metric',
            value: r.metric === undefined ? '' : String(r.metric),
            help: 'a whole number, 0 or more (empty: default)',
          },
        ],
      };
    }
    case 'iface': {
      const i = Number(parts[1]);
      const iface = net.interfaces[i];
      if (!iface) return null;
      const p = `iface:${i}`;
      if (parts[2] === 'addr')
        return listForm({
          id: `${p}:addr`,
          title: 'addresses',
          noun: 'address',
          items: iface.addresses,
          row: (a) => ({
            label: a.name,
            value: kindText(a.kind),
            text: `${a.name}=${kindText(a.kind)}`,
          }),
          help: 'dhcp4, dhcp6, addrconf or an address with prefix; name=… renames it',
          addHelp: 'dhcp4, dhcp6, addrconf, or a static address with prefix such as 192.0.2.10/24',
        });
      if (parts.length > 2) return null;
      return {
        title: `interface ${iface.name}`,
        fields: [
          { id: `${p}:name`, label: 'name', value: iface.name, help: 'e.g. eth0, em0 or net0' },
          listRow(
            `${p}:addr`,
            'addresses',
            iface.addresses.map((a) => kindText(a.kind)),
            'DHCP, SLAAC or static addresses, each with a name',
          ),
          {
            id: `${p}:gateway`,
            label: 'gateway',
            value: iface.gateway ?? '',
            help: 'default gateway for a static address (empty: none)',
          },
          {
            id: `${p}:mtu`,
            label: 'mtu',
            value: iface.mtu === undefined ? '' : String(iface.mtu),
            help: 'e.g. 1500, or 9000 for jumbo frames (empty: the default)',
          },
          {
            id: `${p}:vlan`,
            label: 'vlan',
            value: vlanText(iface),
            help: 'VLAN id and parent link, e.g. 10 on eth0 (empty: not a VLAN)',
          },
          {
            id: `${p}:mac`,
            label: 'mac address',
            value: iface.mac_address ?? '',
            help: 'e.g. 52:54:00:12:34:56 (empty: any)',
          },
          {
            id: `${p}:description`,
            label: 'description',
            value: iface.description ?? '',
            help: 'free text (empty: none)',
          },
        ],
      };
    }
    default:
      return null;
  }
}

function parseKind(text: string): AddressKind {
  const v = text.trim();
  const lower = v.toLowerCase();
  if (lower === 'dhcp' || lower === 'dhcp4') return 'dhcp4';
  if (lower === 'dhcp6' || lower === 'addrconf') return lower;
  if (v === '') throw new FieldError('dhcp4, dhcp6, addrconf, or an address such as 192.0.2.10/24');
  return { static: v };
}

function parseAddress(text: string, old: Address | undefined, taken: readonly Address[]): Address {
  if (old) {
    if (!text.includes('=')) return { name: old.name, kind: parseKind(text) };
    const [name, kind] = nameValue(text, 'static_v4=192.0.2.10/24');
    return { name, kind: parseKind(kind) };
  }
  if (text.includes('=')) {
    const [name, kind] = nameValue(text, 'static_v4=192.0.2.10/24');
    return { name, kind: parseKind(kind) };
  }
  const kind = parseKind(text);
  const base =
    typeof kind === 'string' ? kind : kind.static.includes(':') ? 'static_v6' : 'static_v4';
  let name = base;
  for (let n = 2; taken.some((a) => a.name === name); n++) name = `${base}_${n}`;
  return { name, kind };
}

function parseVlan(text: string): InterfaceConfig['vlan'] {
  const v = text.trim();
  if (v === '') return undefined;
  let m = /^(\d{1,9})\s+(?:on\s+)?(\S+)$/.exec(v);
  if (m) return { id: Number(m[1]), parent: m[2]! };
  m = /^(\S+)\.(\d{1,9})$/.exec(v);
  if (m) return { id: Number(m[2]), parent: m[1]! };
  throw new FieldError('a VLAN id and its parent link: 10 on eth0 (or eth0.10)');
}

function parseRoute(text: string): Route {
  const m = /^(\S+)\s+(?:via\s+)?(\S+)$/.exec(text.trim());
  if (!m) throw new FieldError('DESTINATION via GATEWAY, e.g. 10.0.0.0/8 via 192.0.2.1');
  return { destination: m[1]!, gateway: m[2]! };
}

function setRouteKey(r: Route, key: string, text: string): Route {
  const v = text.trim();
  switch (key) {
    case 'destination':
    case 'gateway':
      if (v === '') throw new FieldError(`a route needs its ${key}`);
      return ordered({ ...r, [key]: v }, ROUTE_KEYS);
    case 'interface':
      return ordered({ ...r, interface: optional(v) }, ROUTE_KEYS);
    case 'metric':
      return ordered({ ...r, metric: optionalWhole(v, 'the metric') }, ROUTE_KEYS);
    default:
      throw new FieldError(`unknown field ${key}`);
  }
}

function required(text: string, what: string): string {
  const v = text.trim();
  if (v === '') throw new FieldError(`write ${what}`);
  return v;
}

function setInterfaceKey(
  iface: InterfaceConfig,
  i: number,
  rest: string[],
  text: string,
): InterfaceConfig | null {
  const v = text.trim();
  const put = (patch: Partial<InterfaceConfig>) => ordered({ ...iface, ...patch }, INTERFACE_KEYS);
  switch (rest[0]) {
    case 'remove':
      return null;
    case 'name':
      return put({ name: required(v, 'an interface name, e.g. eth0') });
    case 'gateway':
      return put({ gateway: optional(v) });
    case 'address': {
      // The first level's quick setting for an interface with one address (or
      // none): its kind, keeping its name. Several are edited in the interface's form.
      if (iface.addresses.length > 1) {
        if (v === addressText(iface)) return iface;
        throw new FieldError(
          `${iface.name} has ${iface.addresses.length} addresses: Esc, then Enter on "interface ${iface.name}" to edit each`,
        );
      }
      const name = iface.addresses[0]?.name ?? 'v4';
      const a = v.toLowerCase();
      if (a === 'dhcp' || a === 'dhcp4' || a === 'dhcp6' || a === 'addrconf')
        return put({ addresses: [{ name, kind: a === 'dhcp' ? 'dhcp4' : a }] });
      if (/^[0-9a-f:.]+\/\d{1,3}$/.test(a))
        return put({ addresses: [{ name, kind: { static: a } }] });
      throw new FieldError(
        'dhcp4, dhcp6, addrconf, or an address with prefix such as 192.0.2.10/24',
      );
    }
    case 'mtu':
      return put({ mtu: v === '' ? undefined : wholeNumber(v, 'the MTU') });
    case 'vlan':
      return put({ vlan: parseVlan(v) });
    case 'mac':
      return put({ mac_address: optional(v) });
    case 'description':
      return put({ description: v === '' ? undefined : text });
    case 'addr': {
      const addresses = editList(
        iface.addresses,
        listEdit(rest.slice(1).join(':')),
        text,
        (t, old) => {
          const a = parseAddress(t, old, iface.addresses);
          if (a.name !== old?.name && iface.addresses.some((x) => x.name === a.name))
            throw new FieldError(`interface ${iface.name} has an address named ${a.name} already`);
          return a;
        },
      );
      return put({ addresses });
    }
    default:
      throw new FieldError(`unknown field iface:${i}:${rest.join(':')}`);
  }
}

/** Apply the text typed for a networking field. */
export function setNetworking(config: UnifiedConfig, id: string, text: string): UnifiedConfig {
  const net = config.networking;
  const with_ = (patch: Partial<NetworkingConfig>): UnifiedConfig => ({
    ...config,
    networking: { ...net, ...patch },
  });
  const [head, ...rest] = id.split(':');
  const scalar = (t: string) => required(t, 'a value');
  switch (head) {
    case 'dns':
      return with_({
        nameservers: editList(net.nameservers, listEdit(rest.join(':')), text, scalar),
      });
    case 'search':
      return with_({
        search_domains: editList(net.search_domains, listEdit(rest.join(':')), text, scalar),
      });
    case 'ntp':
      return with_({
        ntp_servers: editList(net.ntp_servers, listEdit(rest.join(':')), text, scalar),
      });
    case 'routes':
      return with_({
        routes: editList(net.routes, listEdit(rest.join(':')), text, parseRoute, setRouteKey),
      });
    case 'iface': {
      const list = [...net.interfaces];
      if (rest[0] === 'add') {
        const name = text.trim();
        if (!/^[A-Za-z][A-Za-z0-9_.:-]*$/.test(name))
          throw new FieldError('an interface name, e.g. eth0 or vioif0');
        list.push({ name, addresses: [{ name: 'v4', kind: 'dhcp4' }] });
        return with_({ interfaces: list });
      }
      const i = Number(rest[0]);
      const iface = list[i];
      if (!iface) throw new FieldError('no such interface');
      const next = setInterfaceKey(iface, i, rest.slice(1), text);
      if (next) list[i] = next;
      else list.splice(i, 1);
      return with_({ interfaces: list });
    }
    default:
      throw new FieldError(`unknown field ${id}`);
  }
}
