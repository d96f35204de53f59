/** Which slice of a long list to draw so that the cursor stays visible. Pure. */
export function windowRange(
  cursor: number,
  count: number,
  height: number,
): { start: number; end: number } {
  const h = Math.max(1, height);
  if (count <= h) return { start: 0, end: count };
  const start = Math.min(Math.max(0, cursor - Math.floor(h / 2)), count - h);
  return { start, end: start + h };
}

export function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}
