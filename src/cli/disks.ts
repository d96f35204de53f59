import { readFileSync } from 'node:fs';
import { parseArgs } from './args.js';
import { UserError } from './errors.js';
import { palette, type Palette } from './format.js';
import { PLATFORMS, type Platform } from '../plan/types.js';
import type { CommandContext } from './main.js';
import type { Disk } from '../disks/types.js';
import type { Diagnostic } from '../schema/diagnostics.js';
import type { UnifiedConfig } from '../schema/config.js';
import type { SelectorPick } from '../disks/select.js';

export const help = `slipway disks [--json] [--platform P --from FILE] [--match FILE]

List the disks of this machine: name, size, type (ssd/hdd), transport, model,
serial, and for a disk that must not be written, why (mounted, member of a
ZFS pool, swap, dump device, held by md/LVM/device-mapper, a partition in use,
the root disk, the install media).

  --json         print an array of disk objects ("slipway disks --json > machine.json"
                 records a machine profile for "validate/plan --machine")
  --from FILE    read recorded disks instead of probing: a machine profile, or the
                 saved output of the probe's main command for --platform
                 (linux: lsblk -J -b -o ...; illumos: diskinfo -cHp; freebsd: geom disk list)
  --platform P   illumos, freebsd or linux (default: this OS)
  --match FILE   preview what each disk selector picks: FILE is a unified config,
                 a selector object, or a list of selectors

Exit 0; 1 when the disks cannot be detected; 2 when a selector cannot be resolved.`;

const CONFIG_KEYS = [
  'system',
  'storage',
  'networking',
  'software',
  'users',
  'scripts',
  'integrations',
  'containers',
  'power_state',
  '$schema',
];

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT'
        ? `${flag} ${file}: no such file`
        : `${flag} ${file}: ${(err as Error).message}`,
      'check the path',
    );
  }
}

async function loadDisks(
  flags: Record<string, string | boolean>,
  ctx: CommandContext,
): Promise<Disk[]> {
  const platform = (flags.platform as Platform | undefined) ?? ctx.hostPlatform();
  const { DiskProbeError, DiskParseError } = await import('../disks/errors.js');
  if (typeof flags.from === 'string') {
    const text = readText(flags.from, '--from');
    const trimmed = text.trimStart();
    if (trimmed.startsWith('[') || (trimmed.startsWith('{') && /"disks"\s*:/.test(text))) {
      const { parseMachineProfile } = await import('../disks/machine.js');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new UserError(`--from ${flags.from}: not JSON (${(err as Error).message})`);
      }
      return parseMachineProfile(value, `--from ${flags.from}`);
    }
    const { disksFromOutput } = await import('../disks/probe.js');
    try {
      return disksFromOutput(platform, text);
    } catch (err) {
      if (err instanceof DiskParseError)
        throw new UserError(
          `--from ${flags.from}: ${err.message}`,
          `give a machine profile, or the output of the ${platform} probe command (see "slipway disks --help")`,
          1,
        );
      throw err;
    }
  }
  const { detectDisks } = await import('../disks/probe.js');
  try {
    return await detectDisks(platform);
  } catch (err) {
    if (err instanceof DiskProbeError)
      throw new UserError(
        `cannot detect disks: ${err.message}`,
        'run it as root on the machine to install; or record the disks elsewhere and use --from/--machine',
        1,
      );
    throw err;
  }
}

export function diskType(d: Disk): string {
  return d.ssd === true ? 'ssd' : d.rotational === true ? 'hdd' : '-';
}

/** A plain table; in-use reasons in the last column. */
export function renderDisks(
  disks: readonly Disk[],
  p: Palette,
  formatSize: (n: number) => string,
): string {
  if (disks.length === 0) return 'no disks found\n';
  const rows = disks.map((d) => [
    d.name,
    formatSize(d.size_bytes),
    diskType(d),
    d.transport ?? '-',
    d.model ?? '-',
    d.serial ?? '-',
    d.in_use.map((u) => `${u.reason}: ${u.detail}`).join('; '),
  ]);
  const head = ['NAME', 'SIZE', 'TYPE', 'TRAN', 'MODEL', 'SERIAL', 'IN USE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  let out = p.muted(line(head)) + '\n';
  rows.forEach((r, i) => {
    const text = line(r);
    out += (disks[i]!.in_use.length ? p.warning(text) : text) + '\n';
  });
  const free = disks.filter((d) => d.in_use.length === 0).length;
  out += p.muted(`${disks.length} disk${disks.length === 1 ? '' : 's'}, ${free} free`) + '\n';
  return out;
}

/** What --match reads: a config, or selectors (wrapped in a one-pool config). */
async function matchInput(
  file: string,
): Promise<{ config: UnifiedConfig; label: (path: string) => string; diagnostics: Diagnostic[] }> {
  const text = readText(file, '--match');
  const { parseConfigText, parseConfigValue, parseJsonText } = await import('../schema/parse.js');
  const json = parseJsonText(text);
  if (!json.ok)
    return { config: undefined as never, label: (s) => s, diagnostics: [json.diagnostic] };
  const v = json.value;
  const isConfig =
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.keys(v).some((k) => CONFIG_KEYS.includes(k));
  if (isConfig) {
    const r = parseConfigText(text);
    return { config: r.config as UnifiedConfig, label: (s) => s, diagnostics: r.diagnostics };
  }
  const selectors = Array.isArray(v) ? v : [v];
  const prefix = 'storage.pools[0].devices';
  // JSON paths and messages name the selector by its place in FILE: [1], or (selector)
  const label = (s: string) =>
    Array.isArray(v)
      ? s.split(prefix).join('')
      : s
          .split(`${prefix}[0]`)
          .join('(selector)')
          .replace(/^\(selector\)\./, '');
  const r = parseConfigValue({ storage: { pools: [{ name: 'selectors', devices: selectors }] } });
  return {
    config: r.config as UnifiedConfig,
    label,
    diagnostics: r.diagnostics.map((d) => ({ ...d, path: label(d.path) })),
  };
}

async function runMatch(
  file: string,
  disks: Disk[],
  json: boolean,
  ctx: CommandContext,
): Promise<number> {
  const { config, label, diagnostics } = await matchInput(file);
  const { formatDiagnostic } = await import('./format.js');
  const pe = palette(ctx.stderr);
  if (diagnostics.some((d) => d.severity === 'error')) {
    for (const d of diagnostics) ctx.stderr.write(formatDiagnostic(d, file, pe));
    return 2;
  }
  const { resolveDiskSelectors, describeSelector } = await import('../disks/select.js');
  const { formatSize } = await import('../schema/size.js');
  const r = resolveDiskSelectors(config, disks, { checkNamed: true });
  const picks: SelectorPick[] = r.picks;
  const diags = r.diagnostics.map((d) => ({
    ...d,
    path: label(d.path),
    message: label(d.message),
    hint: d.hint === undefined ? undefined : label(d.hint),
  }));
  if (json) {
    ctx.stdout.write(
      JSON.stringify(
        {
          picks: picks.map((p) => ({
            path: label(p.path),
            selector: p.selector,
            disks: p.disks.map((d) => ({
              name: d.name,
              path: d.path,
              serial: d.serial,
              wwn: d.wwn,
              size_bytes: d.size_bytes,
            })),
            ...(p.error ? { error: label(p.error) } : {}),
          })),
          diagnostics: diags,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    const p = palette(ctx.stdout);
    if (picks.length === 0) ctx.stdout.write(`no disk selectors in ${file}\n`);
    const shown = new Set<Diagnostic>();
    for (const pick of picks) {
      ctx.stdout.write(`${p.accent(label(pick.path))}: ${describeSelector(pick.selector)}\n`);
      for (const d of pick.disks)
        ctx.stdout.write(
          `  → ${d.name}  ${d.path}  ${formatSize(d.size_bytes)}  ${diskType(d)}  ${d.model ?? '-'}  serial ${d.serial ?? '-'}\n`,
        );
      const at = label(pick.path);
      const mine = (x: Diagnostic) => x.path === at || x.path.startsWith(`${at}.`);
      for (const d of diags.filter((x) => mine(x) && !shown.has(x))) {
        shown.add(d);
        ctx.stdout.write(`  ${p.error('no pick')}: ${d.message}\n`);
        if (d.hint) ctx.stdout.write(`    ${p.muted('hint:')} ${d.hint}\n`);
      }
    }
    for (const d of diags.filter((x) => !shown.has(x)))
      ctx.stderr.write(formatDiagnostic(d, file, pe));
  }
  return diags.some((d) => d.severity === 'error') ? 2 : 0;
}

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const { positionals, flags } = parseArgs(
    argv,
    {
      json: {},
      platform: { value: true, choices: PLATFORMS },
      from: { value: true },
      match: { value: true },
      help: { short: 'h' },
    },
    'disks',
  );
  if (flags.help) {
    ctx.stdout.write(help + '\n');
    return 0;
  }
  if (positionals.length)
    throw new UserError(
      `"slipway disks" takes no file argument (got ${positionals[0]})`,
      'to preview selectors: slipway disks --match FILE',
    );
  const disks = await loadDisks(flags, ctx);
  if (typeof flags.match === 'string')
    return runMatch(flags.match, disks, flags.json === true, ctx);
  if (flags.json) {
    ctx.stdout.write(JSON.stringify(disks, null, 2) + '\n');
    return 0;
  }
  const { formatSize } = await import('../schema/size.js');
  ctx.stdout.write(renderDisks(disks, palette(ctx.stdout), formatSize));
  return 0;
}
