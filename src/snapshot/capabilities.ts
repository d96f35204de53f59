/**
 * What a side's `zfs send` / `zfs receive` understands, read from the usage
 * text the command prints when run without arguments (zfs-fuse, OpenZFS and
 * illumos all print it). Pure parsing; the probe runs elsewhere.
 */

export interface ZfsCapabilities {
  /** Single-letter options of `zfs send`, e.g. R D p i I. */
  send: ReadonlySet<string>;
  /** Single-letter options of `zfs receive`, e.g. v n F u x d e. */
  receive: ReadonlySet<string>;
}

/**
 * Option letters in the usage lines of `subcommand` (`send` or `receive`):
 * `[-vnF]` gives v n F, `[-x <property>]` gives x, `[-[iI] snapshot]` gives i I.
 */
export function parseUsageOptions(usage: string, subcommand: 'send' | 'receive'): Set<string> {
  const out = new Set<string>();
  const names = subcommand === 'receive' ? ['receive', 'recv'] : ['send'];
  const lines = usage.split('\n');
  let inside = false;
  for (const line of lines) {
    const trimmed = line.trim();
    const first = trimmed.split(/\s+/)[0] ?? '';
    if (names.includes(first)) inside = true;
    else if (/^[a-z]+$/.test(first) && /^\s/.test(line) && trimmed.includes('[')) inside = false;
    else if (trimmed === '' || !/^\s/.test(line)) inside = false;
    if (!inside) continue;
    for (const m of line.matchAll(/(?<![\w<>-])-(\[?)([A-Za-z]+)/g)) {
      for (const ch of m[2]!) out.add(ch);
    }
  }
  return out;
}

export function capabilitiesFromUsage(sendUsage: string, receiveUsage: string): ZfsCapabilities {
  return {
    send: parseUsageOptions(sendUsage, 'send'),
    receive: parseUsageOptions(receiveUsage, 'receive'),
  };
}
