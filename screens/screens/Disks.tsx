import { Box, Text } from 'ink';
import { useDispatch, useTheme, useWizard } from '../context.js';
import { DiskPickerView } from '../widgets/disk-picker/view.js';
import { useDiskPickerInput } from '../widgets/disk-picker/input.js';
import { FRAME_LINES, Frame } from '../widgets/Frame.js';
import { useTermSize } from '../widgets/use-term-size.js';
import { formatSize } from '../../src/schema/size.js';

export function Disks({ active }: { active: boolean }) {
  const s = useWizard();
  const dispatch = useDispatch();
  const theme = useTheme();
  const { rows, columns } = useTermSize();
  const height = rows - FRAME_LINES - 4;
  useDiskPickerInput(dispatch, Math.max(1, height - 2), active);
  const list = s.disks.list;
  const pickedBytes = list
    .filter((d) => s.picker.picked.includes(d.path))
    .reduce((a, d) => a + d.size_bytes, 0);
  return (
    <Frame screen="disks">
      <Box flexDirection="column">
        {s.disks.state === 'loading' ? <Text color={theme.accent}>Looking for disks…</Text> : null}
        {s.disks.state === 'failed' ? (
          <Text color={theme.error} wrap="truncate-end">
            ✗ disk detection failed: {s.disks.message}
            {s.disks.hint ? ` — ${s.disks.hint}` : ''} (r retries)
          </Text>
        ) : null}
        {list.length === 0 && s.disks.state === 'ready' ? (
          <Text>No disks found. r rescans.</Text>
        ) : null}
        {list.length > 0 ? (
          <DiskPickerView disks={list} state={s.picker} height={height} width={columns} />
        ) : null}
        <Text wrap="truncate-end">
          {s.picker.picked.length} picked ({formatSize(pickedBytes)})
          {s.picker.refused ? <Text color={theme.warning}> — {s.picker.refused}</Text> : null}
        </Text>
      </Box>
    </Frame>
  );
}
