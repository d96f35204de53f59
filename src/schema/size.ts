/**
 * ZFS-style sizes: `512`, `64K`, `1.5T`, `100G`, `2GiB`, `none`. Binary units, as
 * zfs(8) reads them (K = 1024). Used by validation, disk selectors and the TUI.
 */
const UNITS: Record<string, number> = {
  '': 1,
  B: 1,
  K: 2 ** 10,
  M: 2 ** 20,
  G: 2 ** 30,
  T: 2 ** 40,
  P: 2 ** 50,
  E: 2 ** 60,
};

const SIZE = /^(\d+(?:\.\d+)?|\.\d+)\s*([BKMGTPE]?)(?:I?B)?$/i;

/**
 * Sizes read so far: a large config repeats a few texts thousands of times
 * (`10G`, `128K`). Short texts only, cleared when full: it never holds much.
 */
const parsed = new Map<string, number | undefined>();
const MAX_PARSED = 1024;

/** Bytes, or undefined when the text is not a size. `none` is not a size (see isNone). */
export function parseSize(text: string): number | undefined {
  if (text.length > 32) return readSize(text);
  const known = parsed.get(text);
  if (known !== undefined || parsed.has(text)) return known;
  const bytes = readSize(text);
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(text, bytes);
  return bytes;
}

function readSize(text: string): number | undefined {
  const m = SIZE.exec(text.trim());
  if (!m) return undefined;
  const unit = UNITS[m[2]!.toUpperCase()];
  if (unit === undefined) return undefined;
  const n = Number(m[1]) * unit;
  return Number.isFinite(n) ? Math.round(n) : undefined;
}

export function isNone(text: string | undefined): boolean {
  if (text === undefined) return false;
  // A size starts with a digit, and then so does it trimmed and lower-cased: no
  // need for the two new strings (this runs for every quota of 10,000 datasets).
  const c = text.charCodeAt(0);
  if (c >= 48 && c <= 57) return false;
  return text.trim().toLowerCase() === 'none';
}

/** 1536 → "1.5K"; binary units with at most three significant digits. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const units = ['B', 'K', 'M', 'G', 'T', 'P', 'E'];
  let v = Math.abs(bytes);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = v >= 100 || i === 0 ? 0 : v >= 10 ? 1 : 2;
  // Strip trailing zeros of the fraction only (110 stays 110, 1.50 becomes 1.5).
  const s = digits ? v.toFixed(digits).replace(/\.?0+$/, '') : v.toFixed(0);
  return `${bytes < 0 ? '-' : ''}${s}${units[i]}`;
}
