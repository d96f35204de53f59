import { useMemo } from 'react';
import { Box, Text } from 'ink';
import { useDispatch, useTheme, useWizard } from '../context.js';
import { DatasetTreeView } from '../widgets/dataset-tree/view.js';
import { useDatasetTreeInput } from '../widgets/dataset-tree/input.js';
import { currentRow } from '../widgets/dataset-tree/state.js';
import { FRAME_LINES, Frame } from '../widgets/Frame.js';
import { useTermSize } from '../widgets/use-term-size.js';
import { spaceBudget } from '../../src/wizard/datasets.js';
import { poolCapacity } from '../../src/validate/capacity.js';
import { formatSize } from '../../src/schema/size.js';

export function Datasets({ active }: { active: boolean }) {
  const s = useWizard();
  const dispatch = useDispatch();
  const theme = useTheme();
  const { rows } = useTermSize();
  const pools = s.config.storage.pools;
  const height = rows - FRAME_LINES - 2 - Math.min(pools.length, 3);
  const row = currentRow(s.config, s.tree);
  useDatasetTreeInput(dispatch, row, pools[0]?.name ?? 'tank', Math.max(1, height - 1), active);
  const budget = useMemo(() => spaceBudget(s.config), [s.config]);
  const caps = useMemo(
    () => pools.map((p) => ({ name: p.name, cap: poolCapacity(p, s.disks.list) })),
    [pools, s.disks.list],
  );
  return (
    <Frame screen="datasets">
      <Box flexDirection="column">
        <DatasetTreeView config={s.config} state={s.tree} height={height} />
        {caps.slice(0, 3).map(({ name, cap }) => {
          const reserved = budget.get(name)?.reservedBytes ?? 0;
          const usable = cap.usableBytes;
          const over = usable !== undefined && reserved > usable;
          return (
            <Text key={name} wrap="truncate-end" color={over ? theme.error : undefined}>
              <Text color={theme.muted}>{name}: reserved </Text>
              {formatSize(reserved)}
              <Text color={theme.muted}> of ≈ </Text>
              {usable !== undefined ? formatSize(usable) : '?'}
              {over
                ? '  — more than the pool holds'
                : usable !== undefined
                  ? `  (${formatSize(usable - reserved)} left)`
                  : ''}
            </Text>
          );
        })}
      </Box>
    </Frame>
  );
}
