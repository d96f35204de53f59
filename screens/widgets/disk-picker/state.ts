/**
 * Disk picker state: a cursor over the detected disks and the set of picked
 * disk paths. In-use disks are shown but cannot be picked. Pure.
 */
import type { Disk } from '../../../src/disks/types.js';
import { clamp } from '../window.js';

export interface DiskPickerState {
  cursor: number;
  /** Paths of the picked disks. */
  picked: readonly string[];
  /** Set when the last toggle was refused, with why. */
  refused: string | null;
}

export type DiskPickerAction =
  | { type: 'move'; delta: number }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'toggle' }
  /** After a rescan: drop picks of disks that are gone or now in use. */
  | { type: 'sync'; disks: readonly Disk[] };

export const initialPicker: DiskPickerState = { cursor: 0, picked: [], refused: null };

export function isFree(disk: Disk): boolean {
  return disk.in_use.length === 0;
}

export function inUseText(disk: Disk): string {
  return disk.in_use.map((u) => `${u.reason}${u.detail ? ` ${u.detail}` : ''}`).join(', ');
}

export function diskPickerReducer(
  s: DiskPickerState,
  a: DiskPickerAction,
  disks: readonly Disk[],
): DiskPickerState {
  const last = Math.max(0, disks.length - 1);
  switch (a.type) {
    case 'move':
      return { ...s, cursor: clamp(s.cursor + a.delta, 0, last), refused: null };
    case 'home':
      return { ...s, cursor: 0, refused: null };
    case 'end':
      return { ...s, cursor: last, refused: null };
    case 'toggle': {
      const disk = disks[s.cursor];
      if (!disk) return s;
      if (s.picked.includes(disk.path))
        return { ...s, picked: s.picked.filter((p) => p !== disk.path), refused: null };
      if (!isFree(disk))
        return {
          ...s,
          refused: `${disk.name} is in use (${inUseText(disk)}) and cannot be picked`,
        };
      return { ...s, picked: [...s.picked, disk.path], refused: null };
    }
    case 'sync': {
      const free = new Set(a.disks.filter(isFree).map((d) => d.path));
      return {
        cursor: clamp(s.cursor, 0, Math.max(0, a.disks.length - 1)),
        picked: s.picked.filter((p) => free.has(p)),
        refused: null,
      };
    }
  }
}
