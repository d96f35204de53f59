/** Address syntax: IPv4/IPv6, CIDR, MAC. Pure string checks. */
import { isIP } from 'node:net';

export function isIpAddress(text: string): boolean {
  return isIP(text) !== 0;
}

/** `192.0.2.10/24`, `2001:db8::1/64`; with `requirePrefix` false the prefix is optional. */
export function cidrProblem(text: string, requirePrefix = true): string | undefined {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const family = isIP(addr);
  if (family === 0) return `${JSON.stringify(addr)} is not an IPv4 or IPv6 address`;
  if (slash < 0)
    return requirePrefix ? 'the prefix length is missing (e.g. 192.0.2.10/24)' : undefined;
  const prefix = text.slice(slash + 1);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max)
    return `the prefix length must be a number from 0 to ${max}`;
  return undefined;
}

export function macProblem(text: string): string | undefined {
  return /^[0-9A-Fa-f]{1,2}([:-])(?:[0-9A-Fa-f]{1,2}\1){4}[0-9A-Fa-f]{1,2}$/.test(text)
    ? undefined
    : 'a MAC address is six hex bytes separated by ":" (e.g. 52:54:00:12:34:56)';
}
