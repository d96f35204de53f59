/** Address syntax: IPv4/IPv6, CIDR, MAC. Pure string checks. */

/** Four decimal numbers 0-255 without leading zeros: the IPv4 form node:net accepts. */
const DOTTED_QUAD =
  /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * node:net's isIP (4, 6 or 0), with the common dotted quad answered here:
 * node:net loads stream, net and their bindings (~4 ms), and a config whose
 * addresses are all IPv4 (`host_ip` of published ports) never needs it.
 */
export function isIP(text: string): 0 | 4 | 6 {
  if (DOTTED_QUAD.test(text)) return 4;
  return process.getBuiltinModule('node:net').isIP(text) as 0 | 4 | 6;
}

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
