/**
 * The System screen's networking: name servers, search domains, routes and NTP
 * servers as lists; each interface's own form (addresses, MTU, VLAN, MAC,
 * description). Keys in, frames out, and the config (as written) checked after.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import {
  KEY,
  makeState,
  moveTo,
  press,
  renderWizard,
  schemaKeys,
  waitForFrame,
  written,
} from './helpers.js';
import { upstreamExample } from '../helpers/upstream.js';
import { parseConfigText } from '../../src/schema/parse.js';
import {
  InterfaceConfig,
  RouteConfig,
  SystemConfig,
  UserConfig,
  type UnifiedConfig,
} from '../../src/schema/config.js';
import {
  AUTHENTICATION_KEYS,
  SYSTEM_KEYS,
  USER_KEYS,
  emptyConfig,
} from '../../src/wizard/fields.js';
import { INTERFACE_KEYS, ROUTE_KEYS } from '../../src/wizard/net-fields.js';

afterEach(() => cleanup());

const CTRL_U = '\u0015';

function systemScreen(config: UnifiedConfig = emptyConfig()) {
  return renderWizard(makeState({ route: { name: 'system' } }, config));
}

function withInterface(): UnifiedConfig {
  const config = emptyConfig();
  config.networking.interfaces.push(
    { name: 'eth0', addresses: [{ name: 'v4', kind: 'dhcp4' }] },
    { name: 'eth1', addresses: [] },
  );
  return config;
}

describe('name servers, search domains and NTP servers', () => {
  it('adds a name server (refusing one that is no address), edits and removes one', async () => {
    const r = systemScreen();
    await waitForFrame(r.frame, (f) => f.includes('hostname'));
    await moveTo(r, /^› name servers\s+\(none\)/);
    await press(r, KEY.enter);
    let f = await waitForFrame(r.frame, (f) => f.includes('+ add name server'));
    expect(f).toContain('name servers');
    expect(f).toMatch(/a add\s+x remove/);
    await press(r, 'a', ...'dns.example', KEY.enter);
    f = await waitForFrame(r.frame, (f) => f.includes('"dns.example" is not an IP address'));
    expect(f).toContain('name servers are given by address');
    await press(r, CTRL_U, ...'9.9.9.9', KEY.enter);
    await waitForFrame(r.frame, (f) => /› 9\.9\.9\.9/.test(f));
    await press(r, 'a', ...'1.1.1.1', KEY.enter);
    await waitForFrame(r.frame, (f) => /› 1\.1\.1\.1/.test(f));
    // Enter edits the row in place.
    await press(r, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('name server: 1.1.1.1'));
    await press(r, CTRL_U, ...'2606:4700:4700::1111', KEY.enter);
    await waitForFrame(r.frame, (f) => /› 2606:4700:4700::1111/.test(f));
    await press(r, KEY.up, 'x');
    await waitForFrame(r.frame, (f) => !f.includes('9.9.9.9'));
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) => /› name servers\s+2606:4700:4700::1111/.test(f));
    expect(written(r).networking.nameservers).toEqual(['2606:4700:4700::1111']);
  });

  it('adds a search domain and NTP servers', async () => {
    const r = systemScreen();
    await waitForFrame(r.frame, (f) => f.includes('hostname'));
    await moveTo(r, /^› search domains/);
    await press(r, KEY.enter, 'a', ...'-bad-.example', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('"-bad-.example": each part of a host name'));
    await press(r, CTRL_U, ...'corp.example', KEY.enter);
    await waitForFrame(r.frame, (f) => /› corp\.example/.test(f));
    await press(r, KEY.esc);
    await moveTo(r, /^› NTP servers/);
    await press(r, KEY.enter, 'a', ...'pool.ntp.org', KEY.enter);
    await waitForFrame(r.frame, (f) => /› pool\.ntp\.org/.test(f));
    await press(r, 'a', ...'192.0.2.123', KEY.enter);
    await waitForFrame(r.frame, (f) => /› 192\.0\.2\.123/.test(f));
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) => /› NTP servers\s+pool\.ntp\.org, 192\.0\.2\.123/.test(f));
    const net = written(r).networking;
    expect(net.search_domains).toEqual(['corp.example']);
    expect(net.ntp_servers).toEqual(['pool.ntp.org', '192.0.2.123']);
  });
});

describe('routes', () => {
  it('adds a route as DESTINATION via GATEWAY and sets its interface and metric', async () => {
    const r = systemScreen(withInterface());
    await waitForFrame(r.frame, (f) => f.includes('interface eth0'));
    await moveTo(r, /^› routes\s+\(none\)/);
    await press(r, KEY.enter, 'a', ...'10.0.0.0/33 via 192.0.2.1', KEY.enter);
    await waitForFrame(r.frame, (f) =>
      f.includes('the prefix length must be a number from 0 to 32'),
    );
    await press(r, CTRL_U, ...'10.0.0.0/8 via 192.0.2.1', KEY.enter);
    await waitForFrame(r.frame, (f) => /› route 1\s+10\.0\.0\.0\/8 via 192\.0\.2\.1/.test(f));
    await press(r, 'a', ...'default 192.0.2.254', KEY.enter);
    await waitForFrame(r.frame, (f) => /› route 2\s+default via 192\.0\.2\.254/.test(f));
    await press(r, KEY.up, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('routes › route 1'));
    await moveTo(r, /^› interface/);
    await press(r, KEY.enter, ...'eth1', KEY.enter);
    await waitForFrame(r.frame, (f) => /› interface\s+eth1/.test(f));
    await press(r, KEY.down, KEY.enter, ...'-5', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('a route metric cannot be negative'));
    await press(r, CTRL_U, ...'100', KEY.enter);
    await waitForFrame(r.frame, (f) => /› metric\s+100/.test(f));
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) =>
      /› route 1\s+10\.0\.0\.0\/8 via 192\.0\.2\.1 dev eth1 metric 100/.test(f),
    );
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) => /› routes\s+10\.0\.0\.0\/8 via/.test(f));
    const routes = written(r).networking.routes;
    expect(routes).toEqual([
      { destination: '10.0.0.0/8', gateway: '192.0.2.1', interface: 'eth1', metric: 100 },
      { destination: 'default', gateway: '192.0.2.254' },
    ]);
    expect(Object.keys(routes[0]!)).toEqual([...ROUTE_KEYS]);
  });
});

describe("an interface's own form", () => {
  it('sets the MTU and a VLAN, refusing values out of range', async () => {
    const r = systemScreen(withInterface());
    await waitForFrame(r.frame, (f) => f.includes('interface eth0'));
    await moveTo(r, /^› interface eth1/);
    await press(r, KEY.enter);
    let f = await waitForFrame(r.frame, (f) => f.includes('› name') && f.includes('vlan'));
    expect(f.split('\n')[1]).toContain('interface eth1');
    await moveTo(r, /^› mtu/);
    await press(r, KEY.enter, ...'20', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('mtu 20 is out of range'));
    await press(r, CTRL_U, ...'9000', KEY.enter);
    await waitForFrame(r.frame, (f) => /› mtu\s+9000/.test(f));
    await press(r, KEY.down, KEY.enter, ...'5000 on eth0', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('VLAN id 5000 is out of range'));
    await press(r, CTRL_U, ...'eth1.10', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('an interface cannot be its own VLAN parent'));
    await press(r, CTRL_U, ...'10 on eth0', KEY.enter);
    await waitForFrame(r.frame, (f) => /› vlan\s+10 on eth0/.test(f));
    await press(r, KEY.down, KEY.enter, ...'52:54:00:12:34', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('a MAC address is six hex bytes'));
    await press(r, CTRL_U, ...'52:54:00:12:34:56', KEY.enter);
    await waitForFrame(r.frame, (f) => /› mac address\s+52:54:00:12:34:56/.test(f));
    await press(r, KEY.down, KEY.enter, ...'storage VLAN', KEY.enter);
    await waitForFrame(r.frame, (f) => /› description\s+storage VLAN/.test(f));
    await press(r, KEY.esc);
    f = await waitForFrame(r.frame, (f) =>
      /› interface eth1\s+mtu 9000, vlan 10 on eth0, 52:54:00:12:34:56, storage VLAN/.test(f),
    );
    const iface = written(r).networking.interfaces[1]!;
    expect(iface).toEqual({
      name: 'eth1',
      mac_address: '52:54:00:12:34:56',
      addresses: [],
      mtu: 9000,
      description: 'storage VLAN',
      vlan: { id: 10, parent: 'eth0' },
    });
    expect(Object.keys(iface)).toEqual(INTERFACE_KEYS.filter((k) => k in iface));
  });

  it('adds static addresses beside DHCP, renames one, and removes one', async () => {
    const r = systemScreen(withInterface());
    await waitForFrame(r.frame, (f) => f.includes('interface eth0'));
    await moveTo(r, /^› interface eth0/);
    await press(r, KEY.enter, KEY.down, KEY.enter);
    let f = await waitForFrame(r.frame, (f) => f.includes('interface eth0 › addresses'));
    expect(f).toMatch(/› v4\s+dhcp4/);
    await press(r, 'a', ...'192.0.2.10/40', KEY.enter);
    await waitForFrame(r.frame, (f) =>
      f.includes('the prefix length must be a number from 0 to 32'),
    );
    await press(r, CTRL_U, ...'192.0.2.10/24', KEY.enter);
    await waitForFrame(r.frame, (f) => /› static_v4\s+192\.0\.2\.10\/24/.test(f));
    await press(r, 'a', ...'2001:db8::10/64', KEY.enter);
    await waitForFrame(r.frame, (f) => /› static_v6\s+2001:db8::10\/64/.test(f));
    await press(r, 'a', ...'192.0.2.11/24', KEY.enter);
    await waitForFrame(r.frame, (f) => /› static_v4_2\s+192\.0\.2\.11\/24/.test(f));
    // name=kind renames; a name in use is refused
    await press(r, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('address: static_v4_2=192.0.2.11/24'));
    await press(r, CTRL_U, ...'v4=192.0.2.11/24', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('has an address named v4 already'));
    await press(r, CTRL_U, ...'backup=192.0.2.11/24', KEY.enter);
    await waitForFrame(r.frame, (f) => /› backup\s+192\.0\.2\.11\/24/.test(f));
    await moveTo(r, /^› v4/);
    await press(r, 'x');
    f = await waitForFrame(r.frame, (f) => !/ v4\s+dhcp4/.test(f));
    expect(f).toMatch(/› static_v4\s+192\.0\.2\.10\/24/);
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) => f.includes('› addresses'));
    await press(r, KEY.esc);
    f = await waitForFrame(r.frame, (f) =>
      /address\s+192\.0\.2\.10\/24, 2001:db8::10\/64, 192\.0\.2\.11\/24/.test(f),
    );
    expect(written(r).networking.interfaces[0]!.addresses).toEqual([
      { name: 'static_v4', kind: { static: '192.0.2.10/24' } },
      { name: 'static_v6', kind: { static: '2001:db8::10/64' } },
      { name: 'backup', kind: { static: '192.0.2.11/24' } },
    ]);
  });

  it('renames the interface; a name used twice is refused', async () => {
    const r = systemScreen(withInterface());
    await waitForFrame(r.frame, (f) => f.includes('interface eth0'));
    await moveTo(r, /^› interface eth1/);
    await press(r, KEY.enter, KEY.enter, CTRL_U, ...'eth0', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('interface "eth0" is declared 2 times'));
    await press(r, CTRL_U, ...'bond0', KEY.enter);
    await waitForFrame(r.frame, (f) => /› name\s+bond0/.test(f));
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) => /› interface bond0/.test(f));
  });
});

it('Esc closes the opened forms one by one, then goes back a screen', async () => {
  const r = systemScreen(parseConfigText(upstreamExample('unified-provisioning.json')).config!);
  await waitForFrame(r.frame, (f) => f.includes('interface net1'));
  await moveTo(r, /^› interface net1/);
  await press(r, KEY.enter);
  await moveTo(r, /^› addresses/);
  await press(r, KEY.enter);
  await waitForFrame(r.frame, (f) => f.includes('interface net1 › addresses'));
  await press(r, KEY.esc);
  await waitForFrame(r.frame, (f) => /› addresses\s+192\.168\.100\.50\/24/.test(f));
  await press(r, KEY.esc);
  await waitForFrame(r.frame, (f) => /› interface net1/.test(f));
  await press(r, KEY.esc);
  await waitForFrame(r.frame, (f) => f.includes('5/9 Containers'));
});

it('the key orders the forms write are the schema’s', () => {
  expect([...INTERFACE_KEYS]).toEqual(schemaKeys(InterfaceConfig));
  expect([...ROUTE_KEYS]).toEqual(schemaKeys(RouteConfig));
  expect([...SYSTEM_KEYS]).toEqual(schemaKeys(SystemConfig));
  expect([...USER_KEYS]).toEqual(schemaKeys(UserConfig));
  expect([...AUTHENTICATION_KEYS]).toEqual(schemaKeys(UserConfig.shape.authentication));
});
