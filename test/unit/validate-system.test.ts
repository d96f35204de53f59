import { describe, expect, it } from 'vitest';
import { at, check, errors, warnings } from '../helpers/validate.js';

const script = (s: Record<string, unknown>) => ({ id: 's', content: '#!/bin/sh\ntrue', ...s });

describe('scripts', () => {
  it('ids are unique across the four lists', () => {
    const ds = check({
      scripts: {
        early_scripts: [script({ id: 'a' })],
        main_scripts: [script({ id: 'b' })],
        late_scripts: [script({ id: 'a' })],
        always_scripts: [script({ id: 'b' })],
      },
    });
    expect(errors(ds).map((d) => d.path)).toEqual([
      'scripts.late_scripts[0].id',
      'scripts.always_scripts[0].id',
    ]);
    expect(errors(ds)[0]!.message).toContain('"a"');
  });

  it('content is not empty; paths are absolute', () => {
    const ds = check({
      scripts: {
        main_scripts: [
          script({
            content: '  ',
            working_directory: 'tmp',
            output_file: 'log',
            interpreter: '/bin/sh',
          }),
        ],
      },
    });
    expect(
      errors(ds)
        .map((d) => d.path)
        .sort(),
    ).toEqual([
      'scripts.main_scripts[0].content',
      'scripts.main_scripts[0].output_file',
      'scripts.main_scripts[0].working_directory',
    ]);
  });

  it('a script without interpreter or #! is a warning', () => {
    const ds = check({ scripts: { main_scripts: [script({ content: 'echo hi' })] } });
    expect(at(warnings(ds), 'scripts.main_scripts[0].interpreter')).toHaveLength(1);
  });
});

describe('networking', () => {
  const iface = (i: Record<string, unknown>) => ({
    networking: { interfaces: [{ name: 'eth0', ...i }] },
  });

  it('a complete interface passes', () => {
    expect(
      check({
        networking: {
          interfaces: [
            {
              name: 'eth0',
              mtu: 9000,
              mac_address: '52:54:00:12:34:56',
              gateway: '192.0.2.1',
              addresses: [
                { name: 'v4', kind: { static: '192.0.2.10/24' } },
                { name: 'v6', kind: 'dhcp6' },
              ],
            },
            { name: 'eth0.10', vlan: { id: 10, parent: 'eth0' } },
          ],
          nameservers: ['1.1.1.1', '2606:4700:4700::1111'],
          routes: [{ destination: '10.0.0.0/8', gateway: '192.0.2.254', interface: 'eth0' }],
        },
      }),
    ).toEqual([]);
  });

  it('static addresses are CIDR', () => {
    const ds = check(
      iface({
        addresses: [
          { name: 'a', kind: { static: '192.0.2.10' } },
          { name: 'b', kind: { static: '192.0.2.10/33' } },
        ],
      }),
    );
    expect(errors(ds).map((d) => d.path)).toEqual([
      'networking.interfaces[0].addresses[0].kind.static',
      'networking.interfaces[0].addresses[1].kind.static',
    ]);
  });

  it('mtu 68–65535, vlan 1–4094, unique interface names', () => {
    expect(at(errors(check(iface({ mtu: 67 }))), 'networking.interfaces[0].mtu')).toHaveLength(1);
    expect(at(errors(check(iface({ mtu: 65536 }))), 'networking.interfaces[0].mtu')).toHaveLength(
      1,
    );
    expect(
      at(
        errors(check(iface({ vlan: { id: 4095, parent: 'eth1' } }))),
        'networking.interfaces[0].vlan.id',
      ),
    ).toHaveLength(1);
    const dup = check({ networking: { interfaces: [{ name: 'eth0' }, { name: 'eth0' }] } });
    expect(errors(dup).map((d) => d.path)).toEqual(['networking.interfaces[1].name']);
  });

  it('routes: CIDR destinations, IP gateways', () => {
    const ds = check({
      networking: {
        routes: [
          { destination: '10.0.0.0', gateway: 'router' },
          { destination: 'default', gateway: '192.0.2.1' },
        ],
      },
    });
    expect(errors(ds).map((d) => d.path)).toEqual([
      'networking.routes[0].destination',
      'networking.routes[0].gateway',
    ]);
  });

  it('nameservers are addresses', () => {
    expect(
      errors(check({ networking: { nameservers: ['dns.example.com'] } })).map((d) => d.path),
    ).toEqual(['networking.nameservers[0]']);
  });
});

describe('system', () => {
  it('host name and time zone', () => {
    const ds = check({ system: { hostname: 'web_1', timezone: 'Europe/Ber lin' } });
    expect(errors(ds).map((d) => d.path)).toEqual(['system.hostname', 'system.timezone']);
    expect(
      check({
        system: { hostname: 'web1', fqdn: 'web1.example.com', timezone: 'America/New_York' },
      }),
    ).toEqual([]);
  });

  it('locale names', () => {
    for (const locale of ['en_US.UTF-8', 'C', 'C.UTF-8', 'POSIX', 'de_DE@euro', 'fr'])
      expect(check({ system: { locale } })).toEqual([]);
    expect(at(warnings(check({ system: { locale: 'English' } })), 'system.locale')).toHaveLength(1);
  });
});

describe('integrations', () => {
  it('ansible, puppet and chef basics; the chef key is never quoted', () => {
    const key = 'not-a-key-secret';
    const ds = check({
      integrations: {
        ansible: { repository_url: 'https://example.com/x.git', playbook_path: '' },
        puppet: { server: 'puppet server' },
        chef: {
          server_url: 'http://chef.example.com',
          node_name: 'n',
          validation_client_name: 'v',
          validation_key: key,
        },
      },
    });
    expect(errors(ds).map((d) => d.path)).toEqual([
      'integrations.ansible.playbook_path',
      'integrations.puppet.server',
    ]);
    expect(warnings(ds).map((d) => d.path)).toEqual([
      'integrations.chef.server_url',
      'integrations.chef.validation_key',
    ]);
    expect(JSON.stringify(ds)).not.toContain(key);
  });
});
