/** Retention ages such as "30d", "12h", "2w", "90m", "1y" → seconds. Pure. */

const UNITS: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 7 * 86_400,
  y: 365 * 86_400,
};

const DURATION = /^(\d+)\s*([smhdwy])$/i;

/** Seconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const parts = text.trim().split(/\s+/);
  let total = 0;
  for (const part of parts) {
    const m = DURATION.exec(part);
    if (!m) return undefined;
    total += Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
  }
  return total > 0 ? total : undefined;
}

export const DURATION_HINT =
  'write a number and a unit: s, m (minutes), h, d, w or y, e.g. "30d", "12h", "2w"';
