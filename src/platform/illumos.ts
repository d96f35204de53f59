/**
 * illumos command builders: zonecfg command files (zonecfg(8), reference §4.1),
 * useradd (useradd(8), §7.1), the password hash in /etc/shadow, IPS `pkg`.
 */
import type { UserConfig, ZoneConfig } from '../schema/index.js';

/** `useradd` (illumos useradd(8); no system-user flag exists there). */
export function illumosUseraddArgv(u: UserConfig, home: string | undefined): string[] {
  const a = ['useradd'];
  if (u.uid !== undefined) a.push('-u', String(u.uid));
  if (u.primary_group) a.push('-g', u.primary_group);
  if (u.groups.length) a.push('-G', u.groups.join(','));
  if (u.description) a.push('-c', u.description);
  if (home) a.push('-d', home);
  if (u.create_home) a.push('-m');
  if (u.shell) a.push('-s', u.shell);
  a.push(u.name);
  return a;
}

/**
 * illumos `passwd` cannot read a password from stdin (passwd(1)), so the crypt
 * hash is written into /etc/shadow's second field. ⚠ Installers do this; it was
 * not checked against OmniOS tooling (reference §7.1). The hash arrives on stdin
 * (never in argv, where `ps` would show it); $1 is the user name. Pure sh, no
 * sed or awk, so the hash can never become an expression; a hash containing
 * `:` is refused. The new file keeps shadow's usual mode (0400 root:sys).
 */
export const ILLUMOS_SET_HASH_SCRIPT =
  'u=$1; IFS= read -r h; case $h in ""|*:*) echo "refusing an empty password hash or one containing a colon" >&2; exit 2 ;; esac; ' +
  't=$(mktemp /etc/.shadow.XXXXXX) || exit 1; found=; ' +
  'while IFS= read -r line || [ -n "$line" ]; do case $line in ' +
  '"$u":*) rest=${line#*:}; rest=${rest#*:}; printf "%s:%s:%s\\n" "$u" "$h" "$rest"; found=1 ;; ' +
  '*) printf "%s\\n" "$line" ;; esac; done < /etc/shadow > "$t" || { rm -f "$t"; exit 1; }; ' +
  'if [ -z "$found" ]; then rm -f "$t"; echo "user $u is not in /etc/shadow" >&2; exit 1; fi; ' +
  'chmod 0400 "$t" && chown root:sys "$t" && mv -f "$t" /etc/shadow || { rm -f "$t"; exit 1; }';

// ── zonecfg ────────────────────────────────────────────────────────────────────

/** Zone-wide zonecfg properties set with `set NAME=VALUE` (zonecfg(8) global properties). */
export const ZONECFG_GLOBALS = new Set([
  'autoboot',
  'bootargs',
  'pool',
  'limitpriv',
  'scheduling-class',
  'ip-type',
  'hostid',
  'fs-allowed',
  'max-lwps',
  'max-processes',
  'max-shm-memory',
  'max-shm-ids',
  'max-msg-ids',
  'max-sem-ids',
  'cpu-shares',
]);

/** Problem with a value that goes into a zonecfg file, or undefined. */
export function zonecfgValueProblem(v: string): string | undefined {
  if (/[\n\r\0]/.test(v)) return 'contains a line break';
  if (v.includes('"')) return 'contains a double quote, which zonecfg cannot read inside a value';
  return undefined;
}

/** A value as zonecfg reads it: bare when plain, else in double quotes. */
export function zonecfgValue(v: string): string {
  return /^[A-Za-z0-9_./:,@+-]+$/.test(v) ? v : `"${v}"`;
}

export interface ZonecfgResult {
  text: string;
  /** Datasets delegated with `add dataset`. */
  datasets: string[];
  /** Properties that were not written, with the reason (for plan warnings). */
  notes: { key: string; message: string }[];
}

/**
 * The zonecfg command file of a zone. Decisions:
 * - `create -b` (blank) then every setting explicitly, so the result does not
 *   depend on the system's templates.
 * - ip-type defaults to exclusive (what OmniOS templates use); then each net
 *   gets `allowed-address` (exclusive-IP zones refuse `address`), otherwise
 *   `address`.
 * - a net's `interface` is the global zone's link the VNIC is built on: it
 *   becomes `global-nic`, so zoneadm creates the VNIC named `physical` at boot
 *   (illumos zonecfg(8)); nothing has to create it beforehand.
 * - autoboot: the `autoboot` property if given, else true when the wanted state
 *   is running.
 * - properties: zone-wide names are `set`; `dataset` delegates datasets
 *   (comma-separated); an empty value is left unset; anything else (e.g. lx
 *   `kernel-version`) becomes an `attr` of type string.
 */
export function zonecfgFile(z: ZoneConfig): ZonecfgResult {
  const notes: ZonecfgResult['notes'] = [];
  const datasets: string[] = [];
  const L: string[] = [
    `# zonecfg command file for zone ${z.name}, written by slipway`,
    'create -b',
  ];
  const set = (k: string, v: string) => L.push(`set ${k}=${zonecfgValue(v)}`);
  set('brand', z.brand);
  set('zonepath', z.zonepath);
  const props = { ...z.properties };
  set('autoboot', props.autoboot ?? (z.state === 'running' ? 'true' : 'false'));
  delete props.autoboot;
  const ipType = props['ip-type'] ?? 'exclusive';
  delete props['ip-type'];
  set('ip-type', ipType);
  if (z.resources?.cpu_shares !== undefined) set('cpu-shares', String(z.resources.cpu_shares));
  const attrs: [string, string][] = [];
  for (const [k, v] of Object.entries(props)) {
    if (k === 'dataset') {
      for (const d of v.split(',').map((s) => s.trim())) if (d) datasets.push(d);
      continue;
    }
    if (v === '') {
      notes.push({ key: k, message: `${k} is empty: left unset (the zone uses the default)` });
      L.push(`# ${k} is empty in the config: left unset`);
      continue;
    }
    if (ZONECFG_GLOBALS.has(k)) set(k, v);
    else attrs.push([k, v]);
  }
  for (const n of z.networks) {
    L.push('add net', `  set physical=${zonecfgValue(n.physical)}`);
    if (n.interface && ipType !== 'shared') L.push(`  set global-nic=${zonecfgValue(n.interface)}`);
    if (n.address)
      L.push(
        `  set ${ipType === 'shared' ? 'address' : 'allowed-address'}=${zonecfgValue(n.address)}`,
      );
    if (n.defrouter) L.push(`  set defrouter=${zonecfgValue(n.defrouter)}`);
    L.push('end');
  }
  const r = z.resources;
  if (r?.cpu_cap !== undefined) L.push('add capped-cpu', `  set ncpus=${r.cpu_cap}`, 'end');
  if (r?.physical_memory_cap || r?.swap_memory_cap) {
    L.push('add capped-memory');
    if (r.physical_memory_cap) L.push(`  set physical=${zonecfgValue(r.physical_memory_cap)}`);
    if (r.swap_memory_cap) L.push(`  set swap=${zonecfgValue(r.swap_memory_cap)}`);
    L.push('end');
  }
  for (const d of datasets) L.push('add dataset', `  set name=${zonecfgValue(d)}`, 'end');
  for (const [k, v] of attrs)
    L.push(
      'add attr',
      `  set name=${zonecfgValue(k)}`,
      '  set type=string',
      `  set value=${zonecfgValue(v)}`,
      'end',
    );
  L.push('verify', 'commit');
  return { text: L.join('\n') + '\n', datasets, notes };
}

/** Every value that goes into the zonecfg file, with where it came from. */
export function zonecfgInputs(z: ZoneConfig): { path: string; value: string }[] {
  const out: { path: string; value: string }[] = [
    { path: 'brand', value: z.brand },
    { path: 'zonepath', value: z.zonepath },
  ];
  for (const [k, v] of Object.entries(z.properties)) {
    out.push({ path: `properties.${k}`, value: k });
    out.push({ path: `properties.${k}`, value: v });
  }
  z.networks.forEach((n, i) => {
    for (const key of ['interface', 'physical', 'address', 'defrouter'] as const) {
      const v = n[key];
      if (v !== undefined) out.push({ path: `networks[${i}].${key}`, value: v });
    }
  });
  const r = z.resources;
  if (r?.physical_memory_cap)
    out.push({ path: 'resources.physical_memory_cap', value: r.physical_memory_cap });
  if (r?.swap_memory_cap) out.push({ path: 'resources.swap_memory_cap', value: r.swap_memory_cap });
  return out;
}
