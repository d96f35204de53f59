/** The terminal's size, re-read when it is resized. */
import { useCallback, useSyncExternalStore } from 'react';
import { useStdout } from 'ink';

export interface TermSize {
  columns: number;
  rows: number;
}

const cache = new WeakMap<object, TermSize>();

export function useTermSize(): TermSize {
  const { stdout } = useStdout();
  const subscribe = useCallback(
    (onChange: () => void) => {
      stdout.on('resize', onChange);
      return () => {
        stdout.off('resize', onChange);
      };
    },
    [stdout],
  );
  const get = useCallback(() => {
    const columns = Math.max(40, stdout.columns || 80);
    const rows = Math.max(12, stdout.rows || 24);
    const prev = cache.get(stdout);
    if (prev && prev.columns === columns && prev.rows === rows) return prev;
    const next = { columns, rows };
    cache.set(stdout, next);
    return next;
  }, [stdout]);
  return useSyncExternalStore(subscribe, get);
}
