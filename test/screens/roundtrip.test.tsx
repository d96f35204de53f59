/**
 * `slipway --config FILE`: the wizard opens on an existing config, and what it
 * writes reads back identically — for every upstream example, through every
 * screen, and for a config the wizard built itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { upstreamExample, upstreamExampleNames } from '../helpers/upstream.js';
import { parseConfigText } from '../../src/schema/parse.js';
import { configText } from '../../src/wizard/serialize.js';
import { prefill } from '../../src/cli/tui.js';
import {
  ORDER,
  initialState,
  wizardReducer,
  type WizardState,
} from '../../screens/state/wizard.js';
import { env, renderWizard, waitForFrame } from './helpers.js';
import { TITLES } from '../../screens/widgets/Frame.js';
import { type FieldScope, containerKind, formOf } from '../../src/wizard/fields.js';
import { validateConfig } from '../../src/validate/index.js';
import type { UnifiedConfig } from '../../src/schema/config.js';
import type { Platform } from '../../src/plan/types.js';
import { tempDir } from '../helpers/temp.js';

afterEach(() => cleanup());

const dir = tempDir('slipway-rt-');

describe.each(upstreamExampleNames)('round trip of %s', (name) => {
  const text = upstreamExample(name);
  const original = parseConfigText(text);

  it('prefills, survives every screen, and writes what it read', async () => {
    expect(original.ok).toBe(true);
    const file = join(dir, name);
    writeFileSync(file, text);
    const config = await prefill(file);
    expect(config).toEqual(original.config);
    let s: WizardState = initialState(env, config, []);
    // Every screen up to Review, by the reducer the screens use.
    for (const screen of ORDER.slice(1, 7)) {
      s = wizardReducer(s, { type: 'next' });
      expect(s.route.name).toBe(screen);
    }
    const written = configText(s.config);
    const back = parseConfigText(written);
    expect(back.ok).toBe(true);
    expect(back.config).toEqual(original.config);
    // Written twice, byte-identical: a fixed point.
    expect(configText(back.config!)).toBe(written);
  });

  it('renders each editing screen with the prefilled values', async () => {
    const config = original.config!;
    for (const screen of ['topology', 'datasets', 'containers', 'system', 'review'] as const) {
      let s: WizardState = initialState(env, config, []);
      while (s.route.name !== screen) s = wizardReducer(s, { type: 'next' });
      const r = renderWizard(s);
      const f = await waitForFrame(r.frame, (f) => f.includes(TITLES[screen]));
      if (screen === 'topology' && config.storage.pools[0])
        expect(f).toContain(`[${config.storage.pools[0].name}]`);
      if (screen === 'system' && config.system.hostname)
        expect(f).toContain(config.system.hostname);
      cleanup();
    }
  });
});

it('a config built in the wizard reads back identically', () => {
  let s = initialState(env, parseConfigText('{}').config!, []);
  s = { ...s, route: { name: 'datasets' } };
  const type = (value: string, more = false) => {
    s = wizardReducer(s, { type: 'prompt/edit', value });
    s = wizardReducer(s, { type: 'prompt/submit' });
    if (more) expect(s.prompt?.label).toBe('volume size');
    else expect(s.prompt).toBeNull();
  };
  s = wizardReducer(s, {
    type: 'prompt/open',
    target: { kind: 'dataset-add', parent: null, pool: 'tank', zvol: false },
  });
  type('home');
  s = wizardReducer(s, {
    type: 'prompt/open',
    target: { kind: 'dataset-quota', name: 'tank/home' },
  });
  type('10G');
  s = wizardReducer(s, {
    type: 'prompt/open',
    target: { kind: 'dataset-add', parent: null, pool: 'tank', zvol: true },
  });
  type('vm', true);
  type('5G');
  s = { ...s, route: { name: 'system' } };
  s = wizardReducer(s, {
    type: 'prompt/open',
    target: { kind: 'field', scope: { kind: 'system' }, id: 'user:add' },
  });
  type('ops');
  s = wizardReducer(s, {
    type: 'prompt/open',
    target: { kind: 'field', scope: { kind: 'system' }, id: 'user:0:password' },
  });
  type('$6$abc$def');
  const back = parseConfigText(configText(s.config));
  expect(back.ok).toBe(true);
  expect(back.config).toEqual(s.config);
});

it('the wizard empty config is what the schema makes of {}', async () => {
  const { emptyConfig } = await import('../../src/wizard/fields.js');
  expect(emptyConfig()).toEqual(parseConfigText('{}').config);
});

it('the built-in demo machine is a valid machine profile with the promised disks', async () => {
  const { parseMachineProfile } = await import('../../src/disks/machine.js');
  const { default: demo } = await import('../../assets/demo-machine.json', {
    with: { type: 'json' },
  });
  const disks = parseMachineProfile(demo);
  const count = (t: string) => disks.filter((d) => d.transport === t).length;
  expect(count('nvme')).toBe(2);
  expect(count('sas')).toBe(6);
  expect(disks.filter((d) => d.transport === 'sata' && d.in_use.length === 0)).toHaveLength(2);
  expect(disks.some((d) => d.in_use.some((u) => u.reason === 'mounted'))).toBe(true);
  expect(
    disks.some((d) => d.transport === 'usb' && d.in_use.some((u) => u.reason === 'install-media')),
  ).toBe(true);
});

// ── editing the lists and entry forms ───────────────────────────────────────

type Scope = FieldScope;

/** Type `text` into the prompt of field `id` on form `form`, as the screens do. */
function typeInto(s: WizardState, scope: Scope, id: string, text: string, form?: string) {
  let t = wizardReducer(s, { type: 'prompt/open', target: { kind: 'field', scope, id, form } });
  t = wizardReducer(t, { type: 'prompt/edit', value: text });
  t = wizardReducer(t, { type: 'prompt/submit' });
  expect(t.prompt?.error).toBeUndefined();
  expect(t.prompt).toBeNull();
  return t;
}

/** What the wizard writes reads back as the same config, and writing that again is byte-identical. */
function expectRoundTrip(config: UnifiedConfig): string {
  const text = configText(config);
  const back = parseConfigText(text);
  expect(back.ok).toBe(true);
  expect(back.config).toEqual(config);
  expect(configText(back.config!)).toBe(text);
  return text;
}

function errorsOf(config: UnifiedConfig, platform: Platform): string[] {
  return validateConfig(config, { platform })
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.path}: ${d.message}`);
}

const SYSTEM: Scope = { kind: 'system' };
const first: Scope = { kind: 'container', index: 0 };

describe.each(upstreamExampleNames)('editing the lists and entries of %s', (name) => {
  const original = parseConfigText(upstreamExample(name)).config!;

  it('an Enter on every row of every list and entry changes nothing', () => {
    for (const platform of ['illumos', 'freebsd', 'linux'] as const) {
      const start = initialState({ ...env, platform }, original, []);
      const before = configText(original);
      const scopes: Scope[] = [
        SYSTEM,
        ...original.containers[containerKind(platform)].map((_, index) => ({
          kind: 'container' as const,
          index,
        })),
      ];
      let visited = 0;
      const visit = (scope: Scope, form: string | undefined) => {
        for (const f of formOf(original, platform, scope, form)!.fields) {
          if (f.opens) visit(scope, f.opens);
          else if (
            !f.toggles &&
            !f.adds &&
            !f.secret &&
            (form !== undefined || NEW_ROWS.has(f.id))
          ) {
            const s = typeInto(start, scope, f.id, promptText(start, scope, f.id, form), form);
            expect(configText(s.config)).toBe(before);
            visited++;
          }
        }
      };
      for (const scope of scopes) visit(scope, undefined);
      expect(visited).toBeGreaterThan(0);
    }
  });

  it('edits of ports, volumes, environment, networks and limits read back identically', () => {
    let s: WizardState = initialState(env, original, []);
    if (original.containers.containers.length === 0) s = addEntry(s, 'app');
    s = typeInto(s, first, 'ports:add', '127.0.0.1:8080:80/udp', 'ports');
    const p = s.config.containers.containers[0]!.ports.length - 1;
    s = typeInto(s, first, `ports:${p}:host_port`, '8081', `ports:${p}`);
    s = typeInto(s, first, 'volumes:add', '/srv/cache:/var/cache/app', 'volumes');
    const v = s.config.containers.containers[0]!.volumes.length - 1;
    s = typeInto(s, first, `volumes:${v}:options`, 'ro,z', `volumes:${v}`);
    s = typeInto(s, first, 'env:add', 'TZ=Europe/Berlin', 'env');
    s = typeInto(s, first, 'networks:add', 'backend', 'networks');
    s = typeInto(s, first, 'cpu_limit', '0.5');
    s = typeInto(s, first, 'memory_limit', '256M');
    expectRoundTrip(s.config);
    const c = s.config.containers.containers[0]!;
    expect(c.ports.at(-1)).toEqual({
      host_port: 8081,
      container_port: 80,
      protocol: 'udp',
      host_ip: '127.0.0.1',
    });
    expect(c.volumes.at(-1)).toEqual({
      source: '/srv/cache',
      target: '/var/cache/app',
      mount_type: 'bind',
      options: ['ro', 'z'],
    });
    expect(c.environment.TZ).toBe('Europe/Berlin');
    expect(c.resources).toMatchObject({ cpu_limit: 0.5, memory_limit: '256M' });
    // Only the edited container changed, and no new error.
    expect(s.config.containers.containers.slice(1)).toEqual(
      original.containers.containers.slice(1),
    );
    expect(errorsOf(s.config, 'linux')).toEqual(errorsOf(original, 'linux'));
  });

  it('edits of zone nets, properties and caps read back identically', () => {
    const z = { ...env, platform: 'illumos' as const };
    let s: WizardState = initialState(z, original, []);
    if (original.containers.zones.length === 0) s = addEntry(s, 'z1');
    s = typeInto(s, first, 'nets:add', 'vnic7', 'nets');
    const n = s.config.containers.zones[0]!.networks.length - 1;
    s = typeInto(s, first, `nets:${n}:address`, '192.0.2.70/24', `nets:${n}`);
    s = typeInto(s, first, `nets:${n}:defrouter`, '192.0.2.1', `nets:${n}`);
    s = typeInto(s, first, 'props:add', 'comment=edited', 'props');
    s = typeInto(s, first, 'cpu_shares', '50');
    s = typeInto(s, first, 'swap_memory_cap', '16G');
    expectRoundTrip(s.config);
    const zone = s.config.containers.zones[0]!;
    expect(zone.networks.at(-1)).toMatchObject({ physical: 'vnic7', address: '192.0.2.70/24' });
    expect(zone.properties.comment).toBe('edited');
    expect(zone.resources).toMatchObject({ cpu_shares: 50, swap_memory_cap: '16G' });
    expect(errorsOf(s.config, 'illumos')).toEqual(errorsOf(original, 'illumos'));
  });

  it('edits of a jail read back identically', () => {
    const s0 = initialState({ ...env, platform: 'freebsd' }, original, []);
    let s = addEntry(s0, 'www');
    const at: Scope = { kind: 'container', index: s.containers.index };
    s = typeInto(s, at, 'jid', '12');
    s = typeInto(s, at, 'ip:add', '192.0.2.80/24', 'ip');
    s = typeInto(s, at, 'ifaces:add', 'em0', 'ifaces');
    s = typeInto(s, at, 'params:add', 'allow.raw_sockets=1', 'params');
    s = typeInto(s, at, 'params:add', 'enforce_statfs=2', 'params');
    s = typeInto(s, at, 'params:0', 'allow.raw_sockets=0', 'params');
    expectRoundTrip(s.config);
    expect(s.config.containers.jails.at(-1)).toMatchObject({
      jid: 12,
      ip_addresses: ['192.0.2.80/24'],
      interfaces: ['em0'],
      parameters: { 'allow.raw_sockets': '0', enforce_statfs: '2' },
    });
  });

  it('edits of name servers, routes, NTP, MTU, VLAN and addresses read back identically', () => {
    let s: WizardState = initialState(env, original, []);
    s = typeInto(s, SYSTEM, 'dns:add', '192.0.2.53', 'dns');
    s = typeInto(s, SYSTEM, 'search:add', 'lab.example', 'search');
    s = typeInto(s, SYSTEM, 'ntp:add', 'time.example', 'ntp');
    s = typeInto(s, SYSTEM, 'routes:add', '198.51.100.0/24 via 192.0.2.1', 'routes');
    const r = s.config.networking.routes.length - 1;
    s = typeInto(s, SYSTEM, `routes:${r}:metric`, '20', `routes:${r}`);
    s = typeInto(s, SYSTEM, 'iface:add', 'vlan20');
    const i = s.config.networking.interfaces.length - 1;
    const parent = s.config.networking.interfaces[0]!.name;
    s = typeInto(s, SYSTEM, `iface:${i}:vlan`, `20 on ${parent}`, `iface:${i}`);
    s = typeInto(s, SYSTEM, `iface:${i}:mtu`, '9000', `iface:${i}`);
    s = typeInto(s, SYSTEM, `iface:${i}:mac`, '52:54:00:aa:bb:cc', `iface:${i}`);
    s = typeInto(s, SYSTEM, `iface:${i}:addr:add`, '198.51.100.5/24', `iface:${i}:addr`);
    s = typeInto(s, SYSTEM, `iface:0:description`, 'edited', 'iface:0');
    expectRoundTrip(s.config);
    const net = s.config.networking;
    expect(net.interfaces[i]).toEqual({
      name: 'vlan20',
      mac_address: '52:54:00:aa:bb:cc',
      addresses: [
        { name: 'v4', kind: 'dhcp4' },
        { name: 'static_v4', kind: { static: '198.51.100.5/24' } },
      ],
      mtu: 9000,
      vlan: { id: 20, parent },
    });
    expect(net.routes.at(-1)).toEqual({
      destination: '198.51.100.0/24',
      gateway: '192.0.2.1',
      metric: 20,
    });
    expect(net.nameservers.at(-1)).toBe('192.0.2.53');
    expect(errorsOf(s.config, 'linux')).toEqual(errorsOf(original, 'linux'));
  });
});

/** Rows of the first level that are new with the list editors (older rows have their own tests). */
const NEW_ROWS = new Set([
  'cpu_cap',
  'cpu_shares',
  'physical_memory_cap',
  'swap_memory_cap',
  'hostname',
  'jid',
  'cpu_limit',
  'memory_limit',
  'memory_swap_limit',
]);

/** Add a zone, jail or container (the `a` prompt on the first level). */
function addEntry(s: WizardState, name: string): WizardState {
  let t = wizardReducer(s, { type: 'prompt/open', target: { kind: 'container-add' } });
  t = wizardReducer(t, { type: 'prompt/edit', value: name });
  t = wizardReducer(t, { type: 'prompt/submit' });
  expect(t.prompt).toBeNull();
  return t;
}

function promptText(s: WizardState, scope: Scope, id: string, form: string | undefined): string {
  const t = wizardReducer(s, { type: 'prompt/open', target: { kind: 'field', scope, id, form } });
  return t.prompt!.value;
}

it('values with spaces or "=" survive an Enter that changes nothing', () => {
  const config = parseConfigText(
    JSON.stringify({
      networking: { interfaces: [{ name: 'eth0', description: ' uplink  (rack 2) ' }] },
      containers: {
        containers: [
          { name: 'web', image: 'nginx', environment: { GREETING: ' hello, world ', Q: 'a=b' } },
        ],
      },
    }),
  ).config!;
  const before = configText(config);
  let s: WizardState = initialState(env, config, []);
  for (const id of ['env:0', 'env:1'])
    s = typeInto(s, first, id, promptText(s, first, id, 'env'), 'env');
  s = typeInto(
    s,
    SYSTEM,
    'iface:0:description',
    promptText(s, SYSTEM, 'iface:0:description', 'iface:0'),
    'iface:0',
  );
  expect(configText(s.config)).toBe(before);
});
