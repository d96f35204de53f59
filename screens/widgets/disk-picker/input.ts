import { useInput } from 'ink';
import { is } from '../../keys.js';
import type { Dispatch } from '../../state/store.js';

/** Keys of the disk picker: move, page, toggle, rescan; Enter goes on. */
export function useDiskPickerInput(dispatch: Dispatch, page: number, isActive: boolean): void {
  useInput(
    (input, key) => {
      const picker = (action: Parameters<Dispatch>[0] & { type: 'picker' }) => dispatch(action);
      if (is('up', input, key)) picker({ type: 'picker', action: { type: 'move', delta: -1 } });
      else if (is('down', input, key))
        picker({ type: 'picker', action: { type: 'move', delta: 1 } });
      else if (is('pageUp', input, key))
        picker({ type: 'picker', action: { type: 'move', delta: -page } });
      else if (is('pageDown', input, key))
        picker({ type: 'picker', action: { type: 'move', delta: page } });
      else if (key.home) picker({ type: 'picker', action: { type: 'home' } });
      else if (key.end) picker({ type: 'picker', action: { type: 'end' } });
      else if (is('toggle', input, key)) picker({ type: 'picker', action: { type: 'toggle' } });
      else if (is('rescan', input, key)) dispatch({ type: 'disks/rescan' });
      else if (is('enterNext', input, key)) dispatch({ type: 'next' });
      else if (is('back', input, key)) dispatch({ type: 'back' });
    },
    { isActive },
  );
}
