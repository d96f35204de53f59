import { useInput } from 'ink';
import { is } from '../../keys.js';
import type { Dispatch } from '../../state/store.js';
import type { VdevBuilderAction } from './state.js';
import type { BuilderRow } from './state.js';

/**
 * Keys of the vdev builder. Two modes, each its own gated handler: the row list,
 * and assigning disks to one vdev.
 */
export function useVdevBuilderInput(
  dispatch: Dispatch,
  row: BuilderRow | undefined,
  pool: number,
  assigning: boolean,
  isActive: boolean,
): void {
  const b = (action: VdevBuilderAction) => dispatch({ type: 'builder', action });
  useInput(
    (input, key) => {
      if (is('up', input, key)) b({ type: 'move', delta: -1 });
      else if (is('down', input, key)) b({ type: 'move', delta: 1 });
      else if (is('confirm', input, key)) {
        if (row?.kind === 'name')
          dispatch({ type: 'prompt/open', target: { kind: 'pool-name', pool } });
        else b({ type: 'activate' });
      } else if (is('toggle', input, key) || is('right', input, key)) {
        if (row?.kind === 'prop') b({ type: 'cycle-prop', delta: 1 });
        else if (row?.kind === 'vdev' && is('toggle', input, key)) b({ type: 'activate' });
      } else if (is('left', input, key)) b({ type: 'cycle-prop', delta: -1 });
      else if (is('cycleType', input, key)) b({ type: 'cycle-type' });
      else if (is('remove', input, key)) b({ type: 'remove' });
      else if (is('addPool', input, key)) b({ type: 'add-pool' });
      else if (is('nextPool', input, key)) b({ type: 'next-pool' });
      else if (is('next', input, key)) dispatch({ type: 'next' });
      else if (is('back', input, key)) dispatch({ type: 'back' });
    },
    { isActive: isActive && !assigning },
  );
  useInput(
    (input, key) => {
      if (is('up', input, key)) b({ type: 'assign-move', delta: -1 });
      else if (is('down', input, key)) b({ type: 'assign-move', delta: 1 });
      else if (is('toggle', input, key)) b({ type: 'assign-toggle' });
      else if (is('cycleType', input, key)) b({ type: 'cycle-type' });
      else if (is('confirm', input, key) || is('back', input, key)) b({ type: 'assign-done' });
    },
    { isActive: isActive && assigning },
  );
}
