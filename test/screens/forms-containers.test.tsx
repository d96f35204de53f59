/**
 * The Containers screen's lists and entry forms: a container's ports, volumes,
 * environment, networks and resources; a zone's nets, properties and caps; a
 * jail's addresses, interfaces and parameters. Keys in, frames out, and the
 * config (as written) checked after.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import {
  KEY,
  env,
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
import { ContainerConfig, JailConfig, ZoneConfig } from '../../src/schema/config.js';
import { addContainer, emptyConfig } from '../../src/wizard/fields.js';
import {
  CONTAINER_KEYS,
  CONTAINER_RESOURCE_KEYS,
  JAIL_KEYS,
  PORT_KEYS,
  VOLUME_KEYS,
  ZONE_KEYS,
  ZONE_NET_KEYS,
  ZONE_RESOURCE_KEYS,
} from '../../src/wizard/container-fields.js';
import type { Platform } from '../../src/plan/types.js';
import type { UnifiedConfig } from '../../src/schema/config.js';

afterEach(() => cleanup());

const CTRL_U = '\u0015';
const DELETE = '\u001B[3~';

function containersScreen(config: UnifiedConfig, platform: Platform = 'linux') {
  return renderWizard({
    ...makeState({ route: { name: 'containers' } }, config),
    env: { ...env, platform },
  });
}

function linuxExample(): UnifiedConfig {
  return parseConfigText(upstreamExample('advanced-linux-config.json')).config!;
}

describe('a Linux container', () => {
  it('adds a port as HOST:CONTAINER, edits it in its own form, and refuses a port out of range', async () => {
    const r = containersScreen(addContainer(emptyConfig(), 'linux', 'web'));
    await waitForFrame(r.frame, (f) => f.includes('[web]'));
    await moveTo(r, /^› ports\s+\(none\)/);
    await press(r, KEY.enter);
    let f = await waitForFrame(r.frame, (f) => f.includes('web › ports'));
    expect(f).toContain('+ add port');
    expect(f).toMatch(/a add\s+x remove/);
    await press(r, 'a');
    await waitForFrame(r.frame, (f) => f.includes('new port:'));
    await press(r, ...'8080:80', KEY.enter);
    f = await waitForFrame(r.frame, (f) => /› port 1\s+8080 → 80\/tcp/.test(f));
    expect(r.store.getState().config.containers.containers[0]!.ports).toEqual([
      { host_port: 8080, container_port: 80, protocol: 'tcp' },
    ]);

    // Its own form: host port (out of range first), protocol, host address.
    await press(r, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('web › ports › port 1'));
    await press(r, KEY.enter, CTRL_U, ...'70000', KEY.enter);
    f = await waitForFrame(r.frame, (f) => f.includes('port 70000 is out of range'));
    expect(f).toContain('use a port from 1 to 65535');
    expect(r.store.getState().config.containers.containers[0]!.ports[0]!.host_port).toBe(8080);
    await press(r, CTRL_U, ...'8443', KEY.enter);
    await waitForFrame(r.frame, (f) => /› host port\s+8443/.test(f));
    await press(r, KEY.down, KEY.down, KEY.enter);
    await waitForFrame(r.frame, (f) => /protocol\s+udp/.test(f));
    await press(r, KEY.down, KEY.enter, ...'127.0.0.1', KEY.enter);
    await waitForFrame(r.frame, (f) => /host address\s+127\.0\.0\.1/.test(f));
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) => /port 1\s+8443 → 80\/udp on 127\.0\.0\.1/.test(f));
    await press(r, KEY.esc);
    f = await waitForFrame(r.frame, (f) => /› ports\s+8443 → 80\/udp on 127\.0\.0\.1/.test(f));
    expect(f).not.toContain('web › ports');

    const port = written(r).containers.containers[0]!.ports[0]!;
    expect(port).toEqual({
      host_port: 8443,
      container_port: 80,
      protocol: 'udp',
      host_ip: '127.0.0.1',
    });
    expect(Object.keys(port)).toEqual([...PORT_KEYS]);
  });

  it('refuses a host port another container publishes already (the validator says so)', async () => {
    const r = containersScreen(linuxExample());
    await waitForFrame(r.frame, (f) => f.includes('[web-server]'));
    await moveTo(r, /^› ports/);
    await press(r, KEY.enter, 'a', ...'5432', KEY.enter);
    const f = await waitForFrame(r.frame, (f) => f.includes('already published'));
    expect(f).toContain('host port 5432/tcp is already published by container');
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) => !f.includes('new port:'));
    expect(r.store.getState().config.containers.containers[0]!.ports).toHaveLength(2);
  });

  it('removes a volume with x and another with Delete', async () => {
    const r = containersScreen(linuxExample());
    await waitForFrame(r.frame, (f) => f.includes('[web-server]'));
    await moveTo(r, /^› volumes/);
    await press(r, KEY.enter);
    let f = await waitForFrame(r.frame, (f) => f.includes('web-server › volumes'));
    expect(f).toMatch(/› volume 1\s+\/data\/web\/html → \/usr\/share\/nginx\/html ro/);
    await press(r, 'x');
    f = await waitForFrame(r.frame, (f) => !f.includes('/data/web/html'));
    expect(f).toMatch(/› volume 1\s+\/data\/web\/config\/nginx\.conf → \/etc\/nginx\/nginx\.conf/);
    expect(
      r.store.getState().config.containers.containers[0]!.volumes.map((v) => v.source),
    ).toEqual(['/data/web/config/nginx.conf']);
    await press(r, DELETE);
    f = await waitForFrame(r.frame, (f) => !f.includes('nginx.conf'));
    expect(f).toMatch(/› \+ add volume/);
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) => /› volumes\s+\(none\)/.test(f));
    const back = written(r);
    expect(back.containers.containers[0]!.volumes).toEqual([]);
    // Nothing else changed.
    expect(back.containers.containers[1]).toEqual(linuxExample().containers.containers[1]);
  });

  it('adds a volume as SOURCE:TARGET:options and switches it to a named volume', async () => {
    const r = containersScreen(addContainer(emptyConfig(), 'linux', 'db'));
    await waitForFrame(r.frame, (f) => f.includes('[db]'));
    await moveTo(r, /^› volumes/);
    await press(r, KEY.enter, 'a', ...'/srv/db:/var/lib/db:ro,Z', KEY.enter);
    await waitForFrame(r.frame, (f) => /volume 1\s+\/srv\/db → \/var\/lib\/db ro,Z/.test(f));
    // A name is no bind mount source: the validator says what to do.
    await press(r, KEY.enter, KEY.enter, CTRL_U, ...'pgdata', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('a bind mount needs an absolute host path'));
    await press(r, KEY.esc, KEY.down, KEY.down, KEY.enter);
    await waitForFrame(r.frame, (f) => /› type\s+volume/.test(f));
    await press(r, KEY.up, KEY.up, KEY.enter, CTRL_U, ...'pgdata', KEY.enter);
    await waitForFrame(r.frame, (f) => /› source\s+pgdata/.test(f));
    await moveTo(r, /^› options/);
    await press(r, KEY.enter, CTRL_U, KEY.enter);
    await waitForFrame(r.frame, (f) => /› options\s*$/m.test(f));
    expect(written(r).containers.containers[0]!.volumes).toEqual([
      { source: 'pgdata', target: '/var/lib/db', mount_type: 'volume', options: [] },
    ]);
  });

  it('edits the environment: a value, new variables, a name set twice refused; secrets show as set', async () => {
    const r = containersScreen(linuxExample());
    await waitForFrame(r.frame, (f) => f.includes('[web-server]'));
    await moveTo(r, /^› environment\s+NGINX_HOST, NGINX_PORT/);
    await press(r, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('web-server › environment'));
    // Enter edits NAME=value in place.
    await press(r, KEY.down, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('variable: NGINX_PORT=80'));
    await press(r, KEY.backspace, KEY.backspace, ...'8080', KEY.enter);
    await waitForFrame(r.frame, (f) => /› NGINX_PORT\s+8080/.test(f));
    await press(r, 'a', ...'API_TOKEN=s3cr3t', KEY.enter);
    let f = await waitForFrame(r.frame, (f) => /› API_TOKEN\s+\(set\)/.test(f));
    expect(f).not.toContain('s3cr3t');
    await press(r, 'a', ...'OPTS=a=b', KEY.enter);
    await waitForFrame(r.frame, (f) => /› OPTS\s+a=b/.test(f));
    await press(r, 'a', ...'NGINX_HOST=other', KEY.enter);
    f = await waitForFrame(r.frame, (f) => f.includes('NGINX_HOST is set already'));
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) => !f.includes('new variable'));
    await press(r, KEY.esc);
    f = await waitForFrame(r.frame, (f) =>
      /environment\s+NGINX_HOST, NGINX_PORT, API_TOKEN, OPTS/.test(f),
    );
    expect(written(r).containers.containers[0]!.environment).toEqual({
      NGINX_HOST: 'web.example.com',
      NGINX_PORT: '8080',
      API_TOKEN: 's3cr3t',
      OPTS: 'a=b',
    });
  });

  it('sets memory and CPU limits, refuses a size that is not one, and clears a limit', async () => {
    const r = containersScreen(addContainer(emptyConfig(), 'linux', 'web'));
    await waitForFrame(r.frame, (f) => f.includes('[web]'));
    await moveTo(r, /^› memory limit/);
    await press(r, KEY.enter, ...'lots', KEY.enter);
    let f = await waitForFrame(r.frame, (f) => f.includes('"lots" is not a memory size'));
    expect(f).toContain('write a size such as 512M or 2G');
    await press(r, CTRL_U, ...'512M', KEY.enter);
    await waitForFrame(r.frame, (f) => /› memory limit\s+512M/.test(f));
    // memory+swap below memory is refused, 1G is fine
    await press(r, KEY.down, KEY.enter, ...'256M', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('cannot be smaller than memory_limit'));
    await press(r, CTRL_U, ...'1G', KEY.enter);
    await waitForFrame(r.frame, (f) => /› memory\+swap limit\s+1G/.test(f));
    await press(r, KEY.up, KEY.up, KEY.enter, ...'1.5', KEY.enter);
    await waitForFrame(r.frame, (f) => /› cpu limit\s+1\.5/.test(f));
    let c = written(r).containers.containers[0]!;
    expect(c.resources).toEqual({ cpu_limit: 1.5, memory_limit: '512M', memory_swap_limit: '1G' });
    expect(Object.keys(c.resources!)).toEqual([...CONTAINER_RESOURCE_KEYS]);
    // Clearing the CPU limit leaves the memory limits.
    await press(r, KEY.enter, CTRL_U, KEY.enter);
    f = await waitForFrame(r.frame, (f) => /› cpu limit\s*$/m.test(f));
    c = written(r).containers.containers[0]!;
    expect(c.resources).toEqual({ memory_limit: '512M', memory_swap_limit: '1G' });
  });

  it('adds and removes networks', async () => {
    const r = containersScreen(addContainer(emptyConfig(), 'linux', 'web'));
    await waitForFrame(r.frame, (f) => f.includes('[web]'));
    await moveTo(r, /^› networks/);
    await press(r, KEY.enter, 'a', ...'front', KEY.enter);
    await waitForFrame(r.frame, (f) => /› front/.test(f));
    await press(r, 'a', ...'back', KEY.enter);
    await waitForFrame(r.frame, (f) => /› back/.test(f));
    await press(r, KEY.up, 'x');
    await waitForFrame(r.frame, (f) => !f.includes('front'));
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) => /› networks\s+back/.test(f));
    expect(written(r).containers.containers[0]!.networks).toEqual(['back']);
  });
});

describe('an illumos zone', () => {
  const zone = () => addContainer(emptyConfig(), 'illumos', 'web');

  it('adds a net over the first host link, gives it an address and a router', async () => {
    const config = zone();
    config.networking.interfaces.push({ name: 'e1000g0', addresses: [] });
    const r = containersScreen(config, 'illumos');
    await waitForFrame(r.frame, (f) => f.includes('illumos zones'));
    await moveTo(r, /^› networks\s+\(none\)/);
    await press(r, KEY.enter, 'a');
    await waitForFrame(r.frame, (f) => f.includes('created over e1000g0'));
    await press(r, ...'vnic01', KEY.enter);
    let f = await waitForFrame(r.frame, (f) => f.includes('may not start with 0'));
    expect(f).toContain('new net: vnic01');
    await press(r, KEY.backspace, KEY.backspace, ...'1', KEY.enter);
    await waitForFrame(r.frame, (f) => /› net 1\s+vnic1 over e1000g0/.test(f));
    await press(r, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('web › networks › net 1'));
    await moveTo(r, /^› address/);
    await press(r, KEY.enter, ...'192.0.2.300/24', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('is not an IPv4 or IPv6 address'));
    await press(r, CTRL_U, ...'192.0.2.30/24', KEY.enter);
    await waitForFrame(r.frame, (f) => /› address\s+192\.0\.2\.30\/24/.test(f));
    await press(r, KEY.down, KEY.enter, ...'192.0.2.1', KEY.enter);
    await waitForFrame(r.frame, (f) => /› default router\s+192\.0\.2\.1/.test(f));
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) => f.includes('+ add net'));
    await press(r, KEY.esc);
    f = await waitForFrame(r.frame, (f) =>
      /› networks\s+vnic1 over e1000g0 192\.0\.2\.30\/24 via 192\.0\.2\.1/.test(f),
    );
    const net = written(r).containers.zones[0]!.networks;
    expect(net).toEqual([
      { interface: 'e1000g0', physical: 'vnic1', address: '192.0.2.30/24', defrouter: '192.0.2.1' },
    ]);
    expect(Object.keys(net[0]!)).toEqual([...ZONE_NET_KEYS]);
  });

  it('sets properties (a delegated dataset, an attr) and the CPU and memory caps', async () => {
    const r = containersScreen(zone(), 'illumos');
    await waitForFrame(r.frame, (f) => f.includes('illumos zones'));
    await moveTo(r, /^› properties/);
    await press(r, KEY.enter, 'a', ...'dataset=tank/zones/web', KEY.enter);
    await waitForFrame(r.frame, (f) => /› dataset\s+tank\/zones\/web/.test(f));
    await press(r, 'a', ...'autoboot=yes', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('autoboot is "true" or "false"'));
    await press(r, CTRL_U, ...'autoboot=true', KEY.enter);
    await waitForFrame(r.frame, (f) => /› autoboot\s+true/.test(f));
    await press(r, 'a', ...'comment=web zone', KEY.enter);
    await waitForFrame(r.frame, (f) => /› comment\s+web zone/.test(f));
    await press(r, KEY.esc);
    await moveTo(r, /^› cpu cap/);
    await press(r, KEY.enter, ...'1.5', KEY.enter);
    await waitForFrame(r.frame, (f) => /› cpu cap\s+1\.5/.test(f));
    await press(r, KEY.down, KEY.enter, ...'100', KEY.enter);
    await waitForFrame(r.frame, (f) => /› cpu shares\s+100/.test(f));
    await press(r, KEY.down, KEY.enter, ...'2X', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('"2X" is not a size'));
    await press(r, CTRL_U, ...'2G', KEY.enter);
    await waitForFrame(r.frame, (f) => /› memory cap\s+2G/.test(f));
    const z = written(r).containers.zones[0]!;
    expect(z.properties).toEqual({
      dataset: 'tank/zones/web',
      autoboot: 'true',
      comment: 'web zone',
    });
    expect(z.resources).toEqual({ cpu_cap: 1.5, cpu_shares: 100, physical_memory_cap: '2G' });
    expect(Object.keys(z)).toEqual(ZONE_KEYS.filter((k) => k in z));
    expect(Object.keys(z.resources!)).toEqual(ZONE_RESOURCE_KEYS.filter((k) => k in z.resources!));
  });
});

describe('a FreeBSD jail', () => {
  it('adds a parameter, an address and an interface; refuses a bad parameter name and address', async () => {
    const r = containersScreen(addContainer(emptyConfig(), 'freebsd', 'www'), 'freebsd');
    await waitForFrame(r.frame, (f) => f.includes('FreeBSD jails'));
    await moveTo(r, /^› parameters\s+\(none\)/);
    await press(r, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('www › parameters'));
    await press(r, 'a', ...'Allow Raw=1', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('"Allow Raw" is not a jail parameter name'));
    await press(r, CTRL_U, ...'allow.raw_sockets=1', KEY.enter);
    await waitForFrame(r.frame, (f) => /› allow\.raw_sockets\s+1/.test(f));
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) => /parameters\s+allow\.raw_sockets=1/.test(f));
    await moveTo(r, /^› ip addresses/);
    await press(r, KEY.enter, 'a', ...'192.0.2.999', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('is not an IPv4 or IPv6 address'));
    await press(r, CTRL_U, ...'192.0.2.20/24', KEY.enter);
    await waitForFrame(r.frame, (f) => /› 192\.0\.2\.20\/24/.test(f));
    await press(r, KEY.esc, KEY.down, KEY.enter, 'a', ...'em0', KEY.enter);
    await waitForFrame(r.frame, (f) => /› em0/.test(f));
    await press(r, KEY.esc);
    await waitForFrame(r.frame, (f) => /› interfaces\s+em0/.test(f));
    const j = written(r).containers.jails[0]!;
    expect(j.parameters).toEqual({ 'allow.raw_sockets': '1' });
    expect(j.ip_addresses).toEqual(['192.0.2.20/24']);
    expect(j.interfaces).toEqual(['em0']);
  });

  it('sets the jail ID and hostname; clearing them leaves them out', async () => {
    const r = containersScreen(addContainer(emptyConfig(), 'freebsd', 'www'), 'freebsd');
    await waitForFrame(r.frame, (f) => f.includes('FreeBSD jails'));
    await moveTo(r, /^› jid/);
    await press(r, KEY.enter, ...'0', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('a jail ID is a positive number'));
    await press(r, CTRL_U, ...'7', KEY.enter);
    await waitForFrame(r.frame, (f) => /› jid\s+7/.test(f));
    await press(r, KEY.up, KEY.enter, CTRL_U, KEY.enter);
    await waitForFrame(r.frame, (f) => /› hostname\s*$/m.test(f));
    const j = written(r).containers.jails[0]!;
    expect(j.jid).toBe(7);
    expect('hostname' in j).toBe(false);
    expect(Object.keys(j)).toEqual(JAIL_KEYS.filter((k) => k in j));
  });
});

it('the key orders the forms write are the schema’s', () => {
  const c = ContainerConfig.shape;
  const zone = ZoneConfig.shape;
  expect([...CONTAINER_KEYS]).toEqual(schemaKeys(ContainerConfig));
  expect([...CONTAINER_RESOURCE_KEYS]).toEqual(schemaKeys(c.resources));
  expect([...PORT_KEYS]).toEqual(schemaKeys(c.ports));
  expect([...VOLUME_KEYS]).toEqual(schemaKeys(c.volumes));
  expect([...ZONE_KEYS]).toEqual(schemaKeys(ZoneConfig));
  expect([...ZONE_RESOURCE_KEYS]).toEqual(schemaKeys(zone.resources));
  expect([...ZONE_NET_KEYS]).toEqual(schemaKeys(zone.networks));
  expect([...JAIL_KEYS]).toEqual(schemaKeys(JailConfig));
});
