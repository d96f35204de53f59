import { Box, Text } from 'ink';
import type { Disk } from '../../../src/disks/types.js';
import { formatSize } from '../../../src/schema/size.js';
import { useTheme } from '../../context.js';
import { windowRange } from '../window.js';
import { type DiskPickerState, inUseText, isFree } from './state.js';

export function diskType(d: Disk): string {
  if (d.ssd === true || d.transport === 'nvme') return 'SSD';
  if (d.rotational === true) return 'HDD';
  return '?';
}

const pad = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s.padEnd(n));

/** A windowed table of disks: only the rows that fit are drawn, whatever the count. */
export function DiskPickerView({
  disks,
  state,
  height,
  width,
}: {
  disks: readonly Disk[];
  state: DiskPickerState;
  height: number;
  width: number;
}) {
  const theme = useTheme();
  const { start, end } = windowRange(state.cursor, disks.length, height - 1);
  const picked = new Set(state.picked);
  // Narrow terminals give the model column up so that the in-use reason stays readable.
  const modelW = Math.max(8, Math.min(24, width - 72));
  return (
    <Box flexDirection="column">
      <Text color={theme.muted} wrap="truncate-end">
        {'    '}
        {pad('NAME', 10)} {pad('MODEL', modelW)} {pad('SERIAL', 16)} {pad('SIZE', 7)}{' '}
        {pad('TYPE', 4)} {pad('BUS', 6)} STATUS
      </Text>
      {disks.slice(start, end).map((d, i) => {
        const at = start + i;
        const cur = at === state.cursor;
        const free = isFree(d);
        const mark = !free ? '[-]' : picked.has(d.path) ? '[x]' : '[ ]';
        return (
          <Text
            key={d.path}
            wrap="truncate-end"
            color={!free ? theme.muted : cur ? theme.selected : undefined}
            bold={cur}
            dimColor={!free && theme.dim}
          >
            {cur ? '›' : ' '}
            {mark} {pad(d.name, 10)} {pad(d.model ?? '-', modelW)} {pad(d.serial ?? '-', 16)}{' '}
            {pad(formatSize(d.size_bytes), 7)} {pad(diskType(d), 4)} {pad(d.transport ?? '-', 6)}{' '}
            {free ? '' : `${width < 100 ? '' : 'in use: '}${inUseText(d)}`}
          </Text>
        );
      })}
      {disks.length > end - start ? (
        <Text color={theme.muted}>
          {start + 1}–{end} of {disks.length}
        </Text>
      ) : null}
    </Box>
  );
}
