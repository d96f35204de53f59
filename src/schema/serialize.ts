/**
 * Writing a config: compact (empty collections and defaults the reader fills in
 * are left out), stable key order as parsed, and a trailing newline. What this
 * writes parses back to the same value.
 */
import { isDeepStrictEqual } from 'node:util';
import { UnifiedConfig } from './config.js';

/** Keys whose empty value means something different from leaving them out. */
const KEEP_EMPTY = new Set(['sysconfig', 'custom', 'command']);

function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const p = prune(v);
      const empty =
        (Array.isArray(p) && p.length === 0) ||
        (p !== null && typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0);
      if (empty && !KEEP_EMPTY.has(k)) continue;
      out[k] = p;
    }
    return out;
  }
  return value;
}

export function serializeConfig(config: UnifiedConfig): string {
  const compact = prune(config);
  // Never trade fidelity for brevity: if the compact form would read back
  // differently, write the full form.
  const back = UnifiedConfig.safeParse(compact);
  const value = back.success && isDeepStrictEqual(back.data, config) ? compact : config;
  return JSON.stringify(value, null, 2) + '\n';
}

/** Whether a config holds secrets (password hashes, vault passwords, chef keys): then it is written mode 0600. */
export function configHasSecrets(config: UnifiedConfig): boolean {
  const nested = [
    ...config.containers.zones.map((z) => z.sysconfig),
    ...config.containers.jails.map((j) => j.sysconfig),
    ...config.containers.containers.map((c) => c.sysconfig),
  ];
  if (config.users.some((u) => u.authentication.password)) return true;
  if (config.integrations.ansible?.vault_password || config.integrations.chef?.validation_key)
    return true;
  if (
    config.containers.containers.some((c) =>
      Object.keys(c.environment).some((k) =>
        /PASSWORD|SECRET|TOKEN|PASSPHRASE|PRIVATE_KEY/i.test(k),
      ),
    )
  )
    return true;
  return nested.some((n) => n !== undefined && configHasSecrets(n));
}
