/**
 * The config the wizard writes, and its redacted form for the screen. Pure.
 */
import type { UnifiedConfig } from '../schema/config.js';
import { REDACTED } from '../plan/shell.js';

/** Keys whose values are secrets wherever they appear. */
const SECRET_KEYS = new Set(['hash', 'vault_password', 'validation_key', 'key_content', 'ssl_key']);
/** Environment variable names that hold secrets. */
const SECRET_ENV = /PASSWORD|SECRET|TOKEN|PASSPHRASE|PRIVATE_KEY/i;

/** Whether an environment variable of this name holds a secret (shown as set/unset only). */
export function isSecretName(name: string): boolean {
  return SECRET_ENV.test(name);
}

function walk(
  value: unknown,
  parentKey: string | undefined,
  onSecret: () => string | undefined,
): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, undefined, onSecret));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const secret =
      typeof v === 'string' &&
      (SECRET_KEYS.has(k) ||
        ((parentKey === 'environment' || parentKey === 'extra_vars') && SECRET_ENV.test(k)));
    if (secret) {
      const r = onSecret();
      out[k] = r === undefined ? v : r;
    } else out[k] = walk(v, k, onSecret);
  }
  return out;
}

/** Whether the config holds a secret (then it is written with mode 0600). */
export function containsSecrets(config: UnifiedConfig): boolean {
  let found = false;
  walk(config, undefined, () => {
    found = true;
    return undefined;
  });
  return found;
}

/** The text the wizard saves: JSON, two-space indent, trailing newline. */
export function configText(config: UnifiedConfig): string {
  return JSON.stringify(config, null, 2) + '\n';
}

/** The same text with every secret replaced, for showing on screen. */
export function redactedConfigText(config: UnifiedConfig): string {
  return (
    JSON.stringify(
      walk(config, undefined, () => REDACTED),
      null,
      2,
    ) + '\n'
  );
}
