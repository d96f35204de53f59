import { Box, Text } from 'ink';
import type { UnifiedConfig } from '../../../src/schema/config.js';
import type { DatasetRow } from '../../../src/wizard/datasets.js';
import { useTheme } from '../../context.js';
import { clamp, windowRange } from '../window.js';
import { type DatasetTreeState, treeRows } from './state.js';

function describe(row: DatasetRow): string {
  const d = row.node;
  const bits: string[] = [];
  if (d.dataset_type !== 'filesystem') bits.push(`volume ${d.dataset_type.volume.size}`);
  if (d.quota) bits.push(`quota ${d.quota}`);
  if (d.reservation) bits.push(`reserve ${d.reservation}`);
  const props = Object.entries(d.properties);
  if (props.length) bits.push(props.map(([k, v]) => `${k}=${v}`).join(' '));
  return bits.join(' · ');
}

/** The dataset tree, windowed: 5,000 datasets draw as fast as 5. */
export function DatasetTreeView({
  config,
  state,
  height,
}: {
  config: UnifiedConfig;
  state: DatasetTreeState;
  height: number;
}) {
  const theme = useTheme();
  const rows = treeRows(config, state);
  if (rows.length === 0)
    return <Text color={theme.muted}>No datasets yet: a adds a file system, v a volume.</Text>;
  const cursor = clamp(state.cursor, 0, rows.length - 1);
  const { start, end } = windowRange(cursor, rows.length, height);
  const snaps = new Map<string, number>();
  for (const s of config.storage.zfs_snapshots)
    snaps.set(s.dataset, (snaps.get(s.dataset) ?? 0) + 1);
  const repl = new Map<string, number>();
  for (const r of config.storage.zfs_replication)
    repl.set(r.source_dataset, (repl.get(r.source_dataset) ?? 0) + 1);
  return (
    <Box flexDirection="column">
      {rows.slice(start, end).map((r, i) => {
        const cur = start + i === cursor;
        const leaf = r.depth === 0 ? r.name : r.name.slice(r.name.lastIndexOf('/') + 1);
        const twisty = r.hasChildren ? (r.collapsed ? '▸' : '▾') : ' ';
        const extra = describe(r);
        const s = snaps.get(r.name);
        const rp = repl.get(r.name);
        return (
          <Text
            key={r.name}
            wrap="truncate-end"
            bold={cur}
            color={cur ? theme.selected : undefined}
          >
            {cur ? '›' : ' '}
            {'  '.repeat(r.depth)}
            {twisty} {leaf}
            {r.node.dataset_type !== 'filesystem' ? ' [zvol]' : ''}
            <Text color={theme.muted}>
              {extra ? `  ${extra}` : ''}
              {s ? `  ${s} snapshot${s > 1 ? 's' : ''}` : ''}
              {rp ? `  → ${rp} replica${rp > 1 ? 's' : ''}` : ''}
            </Text>
          </Text>
        );
      })}
      {rows.length > end - start ? (
        <Text color={theme.muted}>
          {start + 1}–{end} of {rows.length}
        </Text>
      ) : null}
    </Box>
  );
}
