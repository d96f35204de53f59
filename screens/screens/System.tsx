import { Box, Text } from 'ink';
import { useDispatch, useWizard } from '../context.js';
import { FORM_KEYS } from '../keys.js';
import { formView } from '../state/wizard.js';
import { FieldListView, useFieldListInput } from '../widgets/FieldList.js';
import { FRAME_LINES, Frame } from '../widgets/Frame.js';
import { useTermSize } from '../widgets/use-term-size.js';

export function System({ active }: { active: boolean }) {
  const s = useWizard();
  const dispatch = useDispatch();
  const { rows } = useTermSize();
  useFieldListInput(dispatch, active);
  const view = formView(s);
  const keys = view.depth === 0 ? undefined : view.form.add ? FORM_KEYS.list : FORM_KEYS.entry;
  return (
    <Frame screen="system" keys={keys}>
      <Box flexDirection="column">
        {view.depth > 0 ? (
          <Text wrap="truncate-end" bold>
            {view.trail.slice(1).join(' › ')}
          </Text>
        ) : null}
        <FieldListView
          fields={view.form.fields}
          cursor={view.cursor}
          height={rows - FRAME_LINES - 1 - (view.depth > 0 ? 1 : 0)}
        />
      </Box>
    </Frame>
  );
}
