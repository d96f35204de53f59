/**
 * Dataset tree state: a cursor over the visible rows and the set of collapsed
 * datasets. Structural edits (add, rename, property…) arrive as prompts and go
 * through src/wizard/datasets.ts; removal needs no text and happens here. Pure.
 */
import type { UnifiedConfig } from '../../../src/schema/config.js';
import { type DatasetRow, flattenTree, removeDataset } from '../../../src/wizard/datasets.js';
import { clamp } from '../window.js';

export interface DatasetTreeState {
  cursor: number;
  collapsed: ReadonlySet<string>;
}

export type DatasetTreeAction =
  | { type: 'move'; delta: number }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'toggle-collapse' }
  | { type: 'remove' }
  /** Put the cursor on a dataset by name (after an add or rename). */
  | { type: 'focus'; name: string };

export interface Tree {
  tree: DatasetTreeState;
  config: UnifiedConfig;
}

export const initialTree: DatasetTreeState = { cursor: 0, collapsed: new Set() };

/** Rows, computed once per (datasets, collapsed) pair: the view and the reducer share them. */
const cache = new WeakMap<object, { collapsed: ReadonlySet<string>; rows: DatasetRow[] }>();
export function treeRows(config: UnifiedConfig, tree: DatasetTreeState): DatasetRow[] {
  const key = config.storage.zfs_datasets;
  const hit = cache.get(key);
  if (hit && hit.collapsed === tree.collapsed) return hit.rows;
  const rows = flattenTree(key, tree.collapsed);
  cache.set(key, { collapsed: tree.collapsed, rows });
  return rows;
}

export function currentRow(config: UnifiedConfig, tree: DatasetTreeState): DatasetRow | undefined {
  const rows = treeRows(config, tree);
  return rows[clamp(tree.cursor, 0, rows.length - 1)];
}

export function datasetTreeReducer(s: Tree, a: DatasetTreeAction): Tree {
  const { tree, config } = s;
  const rows = treeRows(config, tree);
  const last = Math.max(0, rows.length - 1);
  switch (a.type) {
    case 'move':
      return { config, tree: { ...tree, cursor: clamp(tree.cursor + a.delta, 0, last) } };
    case 'home':
      return { config, tree: { ...tree, cursor: 0 } };
    case 'end':
      return { config, tree: { ...tree, cursor: last } };
    case 'toggle-collapse': {
      const row = rows[tree.cursor];
      if (!row || !row.hasChildren) return s;
      const collapsed = new Set(tree.collapsed);
      if (collapsed.has(row.name)) collapsed.delete(row.name);
      else collapsed.add(row.name);
      return { config, tree: { ...tree, collapsed } };
    }
    case 'remove': {
      const row = rows[tree.cursor];
      if (!row) return s;
      const next = removeDataset(config, row.name);
      const n = treeRows(next, tree).length;
      return { config: next, tree: { ...tree, cursor: clamp(tree.cursor, 0, Math.max(0, n - 1)) } };
    }
    case 'focus': {
      // Expand the ancestors so that the dataset is visible.
      const collapsed = new Set([...tree.collapsed].filter((c) => !a.name.startsWith(c + '/')));
      const t2 = {
        ...tree,
        collapsed: collapsed.size === tree.collapsed.size ? tree.collapsed : collapsed,
      };
      const i = treeRows(config, t2).findIndex((r) => r.name === a.name);
      return { config, tree: { ...t2, cursor: i >= 0 ? i : tree.cursor } };
    }
  }
}
