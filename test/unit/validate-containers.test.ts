import { describe, expect, it } from 'vitest';
import { at, check, errors, warnings } from '../helpers/validate.js';

const zone = (z: Record<string, unknown>) => ({
  containers: { zones: [{ name: 'web', zonepath: '/zones/web', ...z }] },
});
const jail = (j: Record<string, unknown>) => ({
  containers: { jails: [{ name: 'web', path: '/jails/web', ...j }] },
});
const ctr = (c: Record<string, unknown>, more: unknown[] = []) => ({
  containers: { containers: [{ name: 'web', image: 'nginx:1', ...c }, ...more] },
});

describe('zones', () => {
  it('a plain zone passes', () => {
    expect(
      check(zone({ brand: 'sparse', properties: { autoboot: 'true', 'ip-type': 'exclusive' } })),
    ).toEqual([]);
  });

  it.each([
    'sparse',
    'whole-root',
    'ipkg',
    'lipkg',
    'nlipkg',
    'pkgsrc',
    'lx',
    'bhyve',
    'kvm',
    'illumos',
    'emu',
  ])('brand %s is known', (brand) => expect(check(zone({ brand }))).toEqual([]));

  it('an unknown brand is a warning with a suggestion', () => {
    const w = at(warnings(check(zone({ brand: 'sprase' }))), 'containers.zones[0].brand');
    expect(w[0]?.hint).toContain('"sparse"');
  });

  it('zonepath is absolute', () => {
    expect(
      at(errors(check(zone({ zonepath: 'zones/web' }))), 'containers.zones[0].zonepath'),
    ).toHaveLength(1);
  });

  it('zone properties: autoboot and ip-type values; unknown names warn', () => {
    const ds = check(zone({ properties: { autoboot: 'yes', 'ip-type': 'excl', autobot: 'true' } }));
    expect(
      errors(ds)
        .map((d) => d.path)
        .sort(),
    ).toEqual([
      'containers.zones[0].properties.autoboot',
      'containers.zones[0].properties["ip-type"]',
    ]);
    expect(at(warnings(ds), 'containers.zones[0].properties.autobot')[0]?.hint).toContain(
      '"autoboot"',
    );
  });

  it('net: shared-IP zones need an address; defrouter takes no prefix; link names', () => {
    const ds = check(
      zone({
        properties: { 'ip-type': 'shared' },
        networks: [
          { interface: 'net0', physical: 'e1000g0' },
          {
            interface: 'net1',
            physical: 'vnic01',
            address: '192.0.2.5/24',
            defrouter: '192.0.2.1/24',
          },
        ],
      }),
    );
    expect(
      errors(ds)
        .map((d) => d.path)
        .sort(),
    ).toEqual([
      'containers.zones[0].networks[0].address',
      'containers.zones[0].networks[1].defrouter',
      'containers.zones[0].networks[1].physical',
    ]);
  });

  it('an exclusive-IP VNIC belongs to one zone', () => {
    const ds = check({
      containers: {
        zones: [
          {
            name: 'a',
            zonepath: '/zones/a',
            networks: [{ interface: 'net0', physical: 'vnic0', address: '192.0.2.2/24' }],
          },
          {
            name: 'b',
            zonepath: '/zones/b',
            networks: [{ interface: 'net0', physical: 'vnic0', address: '192.0.2.3/24' }],
          },
        ],
      },
    });
    expect(errors(ds).map((d) => d.path)).toEqual(['containers.zones[1].networks[0].physical']);
  });

  it('resource caps: cpu shares range, memory caps are sizes', () => {
    const ds = check(
      zone({
        resources: {
          cpu_cap: 1.5,
          cpu_shares: 70000,
          physical_memory_cap: '2 gigs',
          swap_memory_cap: '4G',
        },
      }),
    );
    expect(
      errors(ds)
        .map((d) => d.path)
        .sort(),
    ).toEqual([
      'containers.zones[0].resources.cpu_shares',
      'containers.zones[0].resources.physical_memory_cap',
    ]);
  });

  it('ignored off illumos (warning), fine on illumos', () => {
    expect(
      at(warnings(check(zone({}), { platform: 'linux' })), 'containers.zones')[0]?.message,
    ).toMatch(/ignored on linux/);
    expect(check(zone({}), { platform: 'illumos' })).toEqual([]);
  });
});

describe('jails', () => {
  it('a plain jail passes', () => {
    expect(
      check(
        jail({
          hostname: 'web.example.org',
          ip_addresses: ['192.0.2.10', 'em0|192.0.2.11/24', '2001:db8::1'],
        }),
      ),
    ).toEqual([]);
  });

  it('path absolute, addresses look like IPs, hostname valid', () => {
    const ds = check(
      jail({ path: 'jails/web', ip_addresses: ['192.0.2.300'], hostname: 'web_server' }),
    );
    expect(
      errors(ds)
        .map((d) => d.path)
        .sort(),
    ).toEqual([
      'containers.jails[0].hostname',
      'containers.jails[0].ip_addresses[0]',
      'containers.jails[0].path',
    ]);
  });

  it('ignored on illumos (warning)', () => {
    expect(
      at(warnings(check(jail({}), { platform: 'illumos' })), 'containers.jails')[0]?.message,
    ).toMatch(/ignored on illumos/);
  });
});

describe('containers', () => {
  it('a plain container passes', () => {
    expect(
      check(
        ctr({
          ports: [{ host_port: 8080, container_port: 80 }],
          volumes: [
            { source: '/srv/www', target: '/usr/share/nginx/html', options: ['ro', 'Z'] },
            { source: 'data', target: '/data', mount_type: 'volume' },
            {
              source: 'tmpfs',
              target: '/tmp',
              mount_type: 'tmpfs',
              options: ['size=64m', 'mode=1777'],
            },
          ],
          resources: { memory_limit: '512M', memory_swap_limit: '1G', cpu_limit: 1 },
        }),
      ),
    ).toEqual([]);
  });

  it('ports 1–65535', () => {
    const ds = check(ctr({ ports: [{ host_port: 0, container_port: 70000 }] }));
    expect(
      errors(ds)
        .map((d) => d.path)
        .sort(),
    ).toEqual([
      'containers.containers[0].ports[0].container_port',
      'containers.containers[0].ports[0].host_port',
    ]);
  });

  it('no duplicate host port on the same address and protocol across containers', () => {
    const ds = check(
      ctr(
        {
          ports: [
            { host_port: 80, container_port: 80 },
            { host_port: 53, container_port: 53, protocol: 'udp' },
          ],
        },
        [
          {
            name: 'b',
            image: 'x',
            ports: [{ host_port: 80, container_port: 8080, host_ip: '127.0.0.1' }],
          },
          {
            name: 'c',
            image: 'x',
            ports: [{ host_port: 53, container_port: 53, protocol: 'tcp' }],
          },
          {
            name: 'd',
            image: 'x',
            ports: [{ host_port: 9000, container_port: 1, host_ip: '127.0.0.1' }],
          },
          {
            name: 'e',
            image: 'x',
            ports: [{ host_port: 9000, container_port: 1, host_ip: '127.0.0.2' }],
          },
        ],
      ),
    );
    const e = errors(ds);
    expect(e.map((d) => d.path)).toEqual(['containers.containers[1].ports[0].host_port']);
    expect(e[0]!.message).toContain('"web"');
  });

  it('volumes: bind sources absolute, volume names, targets absolute and unique, tmpfs options', () => {
    const ds = check(
      ctr({
        volumes: [
          { source: 'srv/www', target: '/www' },
          { source: '/data', target: 'data', mount_type: 'volume' },
          { source: '/x', target: '/www' },
          { source: '', target: '/t', mount_type: 'tmpfs', options: ['size=lots'] },
        ],
      }),
    );
    expect(
      errors(ds)
        .map((d) => d.path)
        .sort(),
    ).toEqual([
      'containers.containers[0].volumes[0].source',
      'containers.containers[0].volumes[1].source',
      'containers.containers[0].volumes[1].target',
      'containers.containers[0].volumes[2].target',
      'containers.containers[0].volumes[3].options[0]',
    ]);
    expect(at(errors(ds), 'containers.containers[0].volumes[0].source')[0]?.hint).toMatch(
      /mount_type "volume"/,
    );
  });

  it('memory limits are sizes and memory_swap_limit ≥ memory_limit', () => {
    expect(
      at(
        errors(check(ctr({ resources: { memory_limit: 'half' } }))),
        'containers.containers[0].resources.memory_limit',
      ),
    ).toHaveLength(1);
    expect(
      at(
        errors(check(ctr({ resources: { memory_limit: '1G', memory_swap_limit: '512M' } }))),
        'containers.containers[0].resources.memory_swap_limit',
      ),
    ).toHaveLength(1);
    expect(
      at(
        errors(check(ctr({ resources: { memory_swap_limit: '1G' } }))),
        'containers.containers[0].resources.memory_swap_limit',
      ),
    ).toHaveLength(1);
    expect(check(ctr({ resources: { memory_limit: '1G', memory_swap_limit: '-1' } }))).toEqual([]);
  });

  it('containerd is a warning (podman and docker only)', () => {
    const w = at(
      warnings(check(ctr({ runtime: 'containerd' }))),
      'containers.containers[0].runtime',
    );
    expect(w[0]?.hint).toMatch(/podman/);
  });

  it('ignored on freebsd (warning)', () => {
    expect(
      at(warnings(check(ctr({}), { platform: 'freebsd' })), 'containers.containers')[0]?.message,
    ).toMatch(/ignored on freebsd/);
  });
});

describe('nested configs', () => {
  it('are validated recursively with their full path', () => {
    const ds = check({
      containers: {
        zones: [
          { name: 'a', zonepath: '/zones/a' },
          { name: 'b', zonepath: '/zones/b', sysconfig: { users: [{ name: 'bad name' }] } },
        ],
      },
    });
    expect(errors(ds).map((d) => d.path)).toEqual(['containers.zones[1].sysconfig.users[0].name']);
  });

  it('may not declare pools or containers', () => {
    const ds = check({
      containers: {
        jails: [
          {
            name: 'j',
            path: '/jails/j',
            sysconfig: {
              storage: { pools: [{ name: 'inner', devices: ['/dev/ada1'] }] },
              containers: {
                jails: [{ name: 'k', path: '/k' }],
                containers: [{ name: 'c', image: 'x' }],
              },
            },
          },
        ],
      },
    });
    expect(errors(ds).map((d) => d.path)).toEqual([
      'containers.jails[0].sysconfig.storage.pools',
      'containers.jails[0].sysconfig.containers.jails',
      'containers.jails[0].sysconfig.containers.containers',
    ]);
  });

  it('may create datasets delegated to a zone; outside the delegation is a warning', () => {
    const base = {
      storage: {
        pools: [{ name: 'tank', devices: ['/dev/sdb'] }],
        zfs_datasets: [{ name: 'tank/z' }],
      },
    };
    const ok = check({
      ...base,
      containers: {
        zones: [
          {
            name: 'z',
            zonepath: '/zones/z',
            properties: { dataset: 'tank/z' },
            sysconfig: { storage: { zfs_datasets: [{ name: 'tank/z/data' }] } },
          },
        ],
      },
    });
    expect(ok).toEqual([]);
    const outside = check({
      ...base,
      containers: {
        zones: [
          {
            name: 'z',
            zonepath: '/zones/z',
            sysconfig: { storage: { zfs_datasets: [{ name: 'tank/other' }] } },
          },
        ],
      },
    });
    expect(
      at(warnings(outside), 'containers.zones[0].sysconfig.storage.zfs_datasets[0].name')[0]?.hint,
    ).toMatch(/delegate/);
  });

  it('users in different contexts may share names; script ids too', () => {
    const ds = check({
      users: [{ name: 'admin' }],
      scripts: { main_scripts: [{ id: 's', content: '#!/bin/sh\ntrue' }] },
      containers: {
        containers: [
          {
            name: 'c',
            image: 'x',
            sysconfig: {
              users: [{ name: 'admin' }],
              scripts: { main_scripts: [{ id: 's', content: '#!/bin/sh\ntrue' }] },
            },
          },
        ],
      },
    });
    expect(ds).toEqual([]);
  });

  it('sysconfig needs a running zone or container, and cannot reach a bhyve guest', () => {
    const ds = check({
      containers: {
        zones: [
          {
            name: 'vm',
            brand: 'bhyve',
            zonepath: '/zones/vm',
            sysconfig: { users: [{ name: 'a' }] },
          },
          {
            name: 'z',
            zonepath: '/zones/z',
            state: 'installed',
            sysconfig: { users: [{ name: 'a' }] },
          },
        ],
        containers: [
          { name: 'c', image: 'x', state: 'stopped', sysconfig: { users: [{ name: 'a' }] } },
        ],
      },
    });
    expect(errors(ds)).toEqual([]);
    expect(warnings(ds).map((d) => d.path)).toEqual([
      'containers.zones[0].sysconfig',
      'containers.zones[1].sysconfig',
      'containers.containers[0].sysconfig',
    ]);
    expect(warnings(ds)[0]!.message).toMatch(/guest/);
  });
});
