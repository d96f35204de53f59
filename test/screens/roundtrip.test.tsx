/**
 * `slipway --config FILE`: the wizard opens on an existing config, and what it
 * writes reads back identically — for every upstream example, through every
 * screen, and for a config the wizard built itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

afterEach(() => cleanup());

const dir = mkdtempSync(join(tmpdir(), 'slipway-rt-'));

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
