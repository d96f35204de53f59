// The address checks answer dotted quads themselves and leave the rest to
// node:net: for every string the answer must be node:net's own.
import { isIP as nodeIsIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrProblem, isIP, isIpAddress } from '../../src/validate/net.js';

describe('isIP', () => {
  it('gives node:net’s answer for chosen edge cases', () => {
    const cases = [
      '0.0.0.0',
      '255.255.255.255',
      '256.1.1.1',
      '1.2.3',
      '1.2.3.4.5',
      '01.2.3.4',
      '1.2.3.04',
      '00.0.0.0',
      '1.2.3.4 ',
      ' 1.2.3.4',
      '1.2.3.4\n',
      '1.2.3.4/24',
      '１.2.3.4',
      '::1',
      '::ffff:192.0.2.1',
      'fe80::1%eth0',
      '2001:db8::',
      '2001:db8:::1',
      '',
      'localhost',
    ];
    for (const c of cases) expect(isIP(c), JSON.stringify(c)).toBe(nodeIsIP(c));
  });

  it('gives node:net’s answer for random near-addresses', () => {
    const octet = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map(String),
      fc.integer({ min: 0, max: 99 }).map((n) => `0${n}`),
      fc.constantFrom('', ' ', 'a', '-1', '+1', '1e1', '0x1'),
    );
    const quad = fc.array(octet, { minLength: 1, maxLength: 6 }).map((xs) => xs.join('.'));
    const text = fc.oneof(quad, fc.string(), fc.ipV4(), fc.ipV6(), fc.ipV4Extended());
    fc.assert(
      fc.property(text, (t) => {
        expect(isIP(t)).toBe(nodeIsIP(t));
        expect(isIpAddress(t)).toBe(nodeIsIP(t) !== 0);
      }),
      { numRuns: 3000 },
    );
  });

  it('checks the prefix by family', () => {
    expect(cidrProblem('192.0.2.10/24')).toBeUndefined();
    expect(cidrProblem('192.0.2.10/33')).toMatch(/0 to 32/);
    expect(cidrProblem('2001:db8::1/64')).toBeUndefined();
    expect(cidrProblem('2001:db8::1/129')).toMatch(/0 to 128/);
    expect(cidrProblem('192.0.2.010/24')).toMatch(/not an IPv4 or IPv6 address/);
  });
});
