import { Box } from 'ink';
import { useDispatch, useWizard } from '../context.js';
import { VdevBuilderView } from '../widgets/vdev-builder/view.js';
import { useVdevBuilderInput } from '../widgets/vdev-builder/input.js';
import { builderRows } from '../widgets/vdev-builder/state.js';
import { FRAME_LINES, Frame } from '../widgets/Frame.js';
import { useTermSize } from '../widgets/use-term-size.js';
import { clamp } from '../widgets/window.js';

export function Topology({ active }: { active: boolean }) {
  const s = useWizard();
  const dispatch = useDispatch();
  const { rows } = useTermSize();
  const list = builderRows(s.config, s.builder.pool);
  const row = list[clamp(s.builder.cursor, 0, list.length - 1)];
  useVdevBuilderInput(dispatch, row, s.builder.pool, s.builder.assign !== null, active);
  return (
    <Frame screen="topology">
      <Box flexDirection="column">
        <VdevBuilderView
          config={s.config}
          state={s.builder}
          disks={s.disks.list}
          picked={s.picker.picked}
          height={rows - FRAME_LINES - 1}
        />
      </Box>
    </Frame>
  );
}
