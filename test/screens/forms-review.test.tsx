import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, env, makeState, press, renderWizard, waitForFrame } from './helpers.js';
import { wizardReducer, type WizardState } from '../../screens/state/wizard.js';
import { addContainer, emptyConfig } from '../../src/wizard/fields.js';
import { saveConfig } from '../../src/wizard/effects.js';

afterEach(() => cleanup());

function at(route: WizardState['route'], patch: Partial<WizardState> = {}, config = emptyConfig()) {
  return makeState({ route, ...patch }, config);
}

describe('Containers screen', () => {
  it('adds a Linux container and edits its image and nested basics in place', async () => {
    const r = renderWizard(at({ name: 'containers' }));
    let f = await waitForFrame(r.frame, (f) => f.includes('Containers'));
    expect(f).toContain('Linux containers');
    expect(f).toContain('No containers');
    await press(r, 'a', ...'web', KEY.enter);
    f = await waitForFrame(r.frame, (f) => f.includes('[web]'));
    expect(f).toMatch(/image\s+docker\.io\/library\/debian:bookworm/);
    // image: clear with Ctrl-U, type a new one
    await press(r, KEY.down, KEY.enter, '\u0015', ...'localhost/busybox:1', KEY.enter);
    await waitForFrame(r.frame, (f) => /image\s+localhost\/busybox:1/.test(f));
    // hostname inside
    const rows = r.frame().split('\n');
    const from = rows.findIndex((l) => l.startsWith('›'));
    const to = rows.findIndex((l) => l.includes('hostname (inside)'));
    await press(r, ...Array(to - from).fill(KEY.down), KEY.enter, ...'web1', KEY.enter);
    await waitForFrame(r.frame, (f) => /hostname \(inside\)\s+web1/.test(f));
    await press(r, KEY.down, KEY.enter, ...'curl, jq', KEY.enter);
    await waitForFrame(r.frame, (f) => /packages \(inside\)\s+curl, jq/.test(f));
    await press(r, KEY.down, KEY.enter, ...'echo hello', KEY.enter);
    await waitForFrame(r.frame, (f) => /script \(inside\)\s+echo hello/.test(f));
    await press(r, KEY.down, KEY.enter, ...'app', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('user app'));
    const c = r.store.getState().config.containers.containers[0]!;
    expect(c).toMatchObject({ name: 'web', image: 'localhost/busybox:1' });
    expect(c.sysconfig!.system.hostname).toBe('web1');
    expect(c.sysconfig!.software.packages_to_install).toEqual(['curl', 'jq']);
    expect(c.sysconfig!.scripts.main_scripts[0]!.content).toBe('echo hello');
    expect(c.sysconfig!.users.map((u) => u.name)).toEqual(['app']);
  });

  it('offers zones on illumos and jails on FreeBSD', async () => {
    const s = at({ name: 'containers' });
    const r = renderWizard({ ...s, env: { ...env, platform: 'illumos' } });
    await waitForFrame(r.frame, (f) => f.includes('illumos zones'));
    await press(r, 'a', ...'z1', KEY.enter);
    const f = await waitForFrame(r.frame, (f) => f.includes('[z1]'));
    expect(f).toMatch(/zonepath\s+\/zones\/z1/);
    expect(f).toMatch(/brand\s+lipkg/);
    cleanup();
    const j = renderWizard({ ...s, env: { ...env, platform: 'freebsd' } });
    await waitForFrame(j.frame, (f) => f.includes('FreeBSD jails'));
  });
});

describe('System screen', () => {
  it('edits hostname, timezone, a static interface and a user with an ssh key and sudo', async () => {
    const r = renderWizard(at({ name: 'system' }));
    await waitForFrame(r.frame, (f) => f.includes('hostname'));
    await press(r, KEY.enter, ...'nas1', KEY.enter);
    await waitForFrame(r.frame, (f) => /hostname\s+nas1/.test(f));
    await press(r, KEY.down, KEY.enter, ...'Europe/Berlin', KEY.enter);
    await waitForFrame(r.frame, (f) => /timezone\s+Europe\/Berlin/.test(f));
    await press(r, KEY.down, KEY.enter, ...'eth0', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('interface eth0'));
    await press(r, KEY.down, KEY.enter, '\u0015', ...'192.0.2.10/24', KEY.enter);
    await waitForFrame(r.frame, (f) => /address\s+192\.0\.2\.10\/24/.test(f));
    await press(r, KEY.down, KEY.enter, ...'192.0.2.1', KEY.enter);
    await waitForFrame(r.frame, (f) => /gateway\s+192\.0\.2\.1/.test(f));
    // "remove this interface", "+ add interface", then "+ add user"
    await press(r, KEY.down, KEY.down, KEY.down, KEY.enter, ...'admin', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('user admin'));
    await press(
      r,
      KEY.down,
      KEY.enter,
      ...'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests admin@laptop',
      KEY.enter,
    );
    await waitForFrame(r.frame, (f) => f.includes('admin@laptop'));
    await press(r, KEY.down, KEY.enter);
    await waitForFrame(r.frame, (f) => /sudo\s+unrestricted/.test(f));
    const c = r.store.getState().config;
    expect(c.system).toMatchObject({ hostname: 'nas1', timezone: 'Europe/Berlin' });
    expect(c.networking.interfaces[0]).toMatchObject({
      name: 'eth0',
      addresses: [{ kind: { static: '192.0.2.10/24' } }],
      gateway: '192.0.2.1',
    });
    expect(c.users[0]).toMatchObject({ name: 'admin', sudo: 'unrestricted' });
    expect(c.users[0]!.authentication.ssh_keys).toHaveLength(1);
  });

  it('refuses a bad address in the prompt and keeps it open', async () => {
    const r = renderWizard(at({ name: 'system' }));
    await waitForFrame(r.frame, (f) => f.includes('hostname'));
    await press(r, KEY.down, KEY.down, KEY.enter, ...'eth0', KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('interface eth0'));
    await press(r, KEY.down, KEY.enter, '\u0015', ...'300.1', KEY.enter);
    await waitForFrame(r.frame, (f) =>
      f.includes('dhcp4, dhcp6, addrconf, or an address with prefix'),
    );
    await press(r, KEY.esc);
    const f = await waitForFrame(r.frame, (f) => !f.includes('Enter apply'));
    expect(f).toMatch(/address\s+dhcp4/);
  });
});

function reviewState(config = emptyConfig()) {
  return wizardReducer(at({ name: 'system' }, {}, config), { type: 'next' });
}

describe('Review screen', () => {
  it('shows the config with secrets redacted, the plan, and the diagnostics; errors block going on', async () => {
    let config = emptyConfig();
    config = {
      ...config,
      users: [
        {
          name: 'root2',
          groups: [],
          system_user: false,
          create_home: true,
          authentication: {
            password: { hash: '$6$salt$supersecrethashvalue', expire_on_first_login: false },
            ssh_keys: [],
            ssh_import_ids: [],
          },
        },
      ],
      storage: {
        ...config.storage,
        pools: [
          {
            name: 'tank',
            pool_type: 'zpool',
            devices: [],
            properties: {},
            filesystem_properties: {},
            topology: {
              data: [{ vdev_type: 'mirror', devices: [] }],
              log: [],
              cache: [],
              spare: [],
              special: [],
              dedup: [],
            },
          },
        ],
      },
    };
    const r = renderWizard(reviewState(config));
    let f = await waitForFrame(r.frame, (f) => f.includes('7/9 Review') && !f.includes('Checking'));
    expect(f).toMatch(/✗ \d+ error/);
    // Scroll the config (PgDn) until the user's password hash shows.
    for (let i = 0; i < 20 && !r.frame().includes('"hash"'); i++) await press(r, '\u001B[6~');
    f = await waitForFrame(r.frame, (f) => f.includes('"hash"'));
    expect(f).toContain('"hash": "<redacted>"');
    expect(f).not.toContain('supersecrethashvalue');
    expect(r.store.getState().route).toMatchObject({ name: 'review', tab: 'config' });
    await press(r, KEY.tab, KEY.tab);
    f = await waitForFrame(r.frame, (f) => f.includes('[diagnostics]'));
    expect(f).toContain('storage.pools[0].topology.data[0]');
    await press(r, KEY.enter);
    await press(r, KEY.enter);
    expect(r.store.getState().route.name).toBe('review');
    expect(r.frame()).toContain('errors block going on');
  });

  it('a valid config goes on to Confirm; the plan tab lists the commands', async () => {
    let s = makeState({ route: { name: 'disks' } });
    s = { ...s, picker: { ...s.picker, picked: ['/dev/sdb', '/dev/sdc'] } };
    for (let i = 0; i < 5; i++) s = wizardReducer(s, { type: 'next' });
    expect(s.route.name).toBe('review');
    const r = renderWizard(s);
    await waitForFrame(r.frame, (f) => f.includes('✓ valid'));
    await press(r, KEY.tab);
    const f = await waitForFrame(r.frame, (f) => f.includes('[plan]'));
    expect(f).toMatch(/zpool create .*tank mirror \/dev\/sdb \/dev\/sdc/);
    await press(r, KEY.enter);
    await waitForFrame(r.frame, (f) => f.includes('8/9 Confirm'));
  });

  it('w asks the effects layer to save; secrets make the file mode 0600', async () => {
    const written: { path: string; text: string; mode: number }[] = [];
    const config = addContainer(emptyConfig(), 'linux', 'c1');
    config.containers.containers[0]!.environment = { DB_PASSWORD: 'hunter2' };
    const r = renderWizard(reviewState(config), (a, state, dispatch) => {
      if (a.type === 'review/save') {
        const res = saveConfig(
          { writeFile: (path, text, mode) => written.push({ path, text, mode }) },
          state,
        );
        dispatch({ type: 'review/saved', ...res });
      }
    });
    await waitForFrame(r.frame, (f) => f.includes('✓ valid') || f.includes('error'));
    expect(r.frame()).not.toContain('hunter2');
    await press(r, 'w');
    const f = await waitForFrame(r.frame, (f) => f.includes('saved to'));
    expect(f).toContain('mode 600');
    expect(written[0]!.mode).toBe(0o600);
    expect(written[0]!.text).toContain('hunter2');
  });
});
