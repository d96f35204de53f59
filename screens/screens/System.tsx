import { Box } from 'ink';
import { useDispatch, useWizard } from '../context.js';
import { FieldListView, useFieldListInput } from '../widgets/FieldList.js';
import { FRAME_LINES, Frame } from '../widgets/Frame.js';
import { useTermSize } from '../widgets/use-term-size.js';
import { systemFields } from '../../src/wizard/fields.js';

export function System({ active }: { active: boolean }) {
  const s = useWizard();
  const dispatch = useDispatch();
  const { rows } = useTermSize();
  useFieldListInput(dispatch, active);
  return (
    <Frame screen="system">
      <Box flexDirection="column">
        <FieldListView
          fields={systemFields(s.config)}
          cursor={s.system.cursor}
          height={rows - FRAME_LINES - 1}
        />
      </Box>
    </Frame>
  );
}
