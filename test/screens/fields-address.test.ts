/**
 * The System screen's quick "address" row of an interface: it sets the kind of
 * the interface's one address and keeps that address's name; an interface with
 * several addresses is edited in its own form, never flattened to one.
 */
import { describe, expect, it } from 'vitest';
import { parseConfigValue } from '../../src/schema/parse.js';
import { FieldError, formOf, setField } from '../../src/wizard/fields.js';
import type { UnifiedConfig } from '../../src/schema/config.js';

function config(addresses: unknown[]): UnifiedConfig {
  const r = parseConfigValue({ networking: { interfaces: [{ name: 'eth0', addresses }] } });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.config;
}
const sys = { kind: 'system' } as const;
const row = (c: UnifiedConfig) =>
  formOf(c, 'linux', sys)!.fields.find((f) => f.id === 'iface:0:address')!;
const set = (c: UnifiedConfig, text: string) => setField(c, 'linux', sys, 'iface:0:address', text);

describe('interface address row', () => {
  it('keeps the name of the one address it changes', () => {
    const c = config([{ name: 'uplink', kind: 'dhcp4' }]);
    expect(row(c).value).toBe('dhcp4');
    const next = set(c, '192.0.2.10/24');
    expect(next.networking.interfaces[0]!.addresses).toEqual([
      { name: 'uplink', kind: { static: '192.0.2.10/24' } },
    ]);
  });

  it('takes dhcp6 and addrconf too, so Enter on such an address changes nothing', () => {
    const c = config([{ name: 'v6', kind: 'addrconf' }]);
    expect(set(c, row(c).value).networking).toEqual(c.networking);
    expect(set(c, 'dhcp6').networking.interfaces[0]!.addresses).toEqual([
      { name: 'v6', kind: 'dhcp6' },
    ]);
  });

  it('refuses to flatten several addresses into one, and Enter on them changes nothing', () => {
    const c = config([
      { name: 'v4', kind: 'dhcp4' },
      { name: 'v6', kind: { static: '2001:db8::10/64' } },
    ]);
    expect(set(c, row(c).value).networking).toEqual(c.networking);
    expect(() => set(c, 'dhcp')).toThrow(FieldError);
    expect(() => set(c, 'dhcp')).toThrow(/2 addresses/);
  });
});
