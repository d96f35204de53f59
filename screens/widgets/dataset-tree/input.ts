import { useInput } from 'ink';
import { is } from '../../keys.js';
import type { Dispatch } from '../../state/store.js';
import type { DatasetTreeAction } from './state.js';
import type { DatasetRow } from '../../../src/wizard/datasets.js';

/** Keys of the dataset tree: moving and collapsing here; edits open prompts. */
export function useDatasetTreeInput(
  dispatch: Dispatch,
  row: DatasetRow | undefined,
  defaultPool: string,
  page: number,
  isActive: boolean,
): void {
  const t = (action: DatasetTreeAction) => dispatch({ type: 'tree', action });
  useInput(
    (input, key) => {
      const name = row?.name;
      const pool = name ? name.split('/')[0]! : defaultPool;
      // A new dataset goes under the file system at the cursor (beside a volume);
      // a volume at the top of a pool has the pool itself as parent (null).
      let parent: string | null = null;
      if (row && row.node.dataset_type === 'filesystem') parent = row.name;
      else if (row && row.depth > 0) parent = row.name.slice(0, row.name.lastIndexOf('/'));
      if (is('up', input, key)) t({ type: 'move', delta: -1 });
      else if (is('down', input, key)) t({ type: 'move', delta: 1 });
      else if (is('pageUp', input, key)) t({ type: 'move', delta: -page });
      else if (is('pageDown', input, key)) t({ type: 'move', delta: page });
      else if (key.home) t({ type: 'home' });
      else if (key.end) t({ type: 'end' });
      else if (is('toggle', input, key)) t({ type: 'toggle-collapse' });
      else if (is('add', input, key))
        dispatch({
          type: 'prompt/open',
          target: { kind: 'dataset-add', parent, pool, zvol: false },
        });
      else if (is('addZvol', input, key))
        dispatch({
          type: 'prompt/open',
          target: { kind: 'dataset-add', parent, pool, zvol: true },
        });
      else if (is('addTop', input, key))
        dispatch({
          type: 'prompt/open',
          target: { kind: 'dataset-add', parent: null, pool, zvol: false },
        });
      else if (is('next', input, key)) dispatch({ type: 'next' });
      else if (is('back', input, key)) dispatch({ type: 'back' });
      else if (!name) return;
      else if (is('rename', input, key))
        dispatch({ type: 'prompt/open', target: { kind: 'dataset-rename', name } });
      else if (is('remove', input, key)) t({ type: 'remove' });
      else if (is('quota', input, key))
        dispatch({ type: 'prompt/open', target: { kind: 'dataset-quota', name } });
      else if (is('reservation', input, key))
        dispatch({ type: 'prompt/open', target: { kind: 'dataset-reservation', name } });
      else if (is('property', input, key))
        dispatch({ type: 'prompt/open', target: { kind: 'dataset-property', name } });
      else if (is('snapshot', input, key))
        dispatch({ type: 'prompt/open', target: { kind: 'snapshot', dataset: name } });
      else if (is('replicate', input, key))
        dispatch({ type: 'prompt/open', target: { kind: 'replication', dataset: name } });
    },
    { isActive },
  );
}
