import { Box, Text } from 'ink';
import { useDispatch, useTheme, useWizard } from '../context.js';
import { FORM_KEYS, is } from '../keys.js';
import { formView } from '../state/wizard.js';
import { FieldListView, useFieldListInput } from '../widgets/FieldList.js';
import { FRAME_LINES, Frame } from '../widgets/Frame.js';
import { useTermSize } from '../widgets/use-term-size.js';
import { CONTAINER_NOUN, containerKind, containersOf } from '../../src/wizard/fields.js';

export function Containers({ active }: { active: boolean }) {
  const s = useWizard();
  const dispatch = useDispatch();
  const theme = useTheme();
  const { rows } = useTermSize();
  const platform = s.env.platform;
  const noun = CONTAINER_NOUN[containerKind(platform)];
  const list = containersOf(s.config, platform);
  const view = formView(s);
  useFieldListInput(dispatch, active, (input, key) => {
    // Tab goes to the next one from any level; a and x add and remove whole
    // entries on the first level, rows of a list below it.
    if (is('tab', input, key)) dispatch({ type: 'containers/next' });
    else if (view.depth > 0) return false;
    else if (is('add', input, key))
      dispatch({ type: 'prompt/open', target: { kind: 'container-add' } });
    else if (is('remove', input, key) && list.length) dispatch({ type: 'containers/remove' });
    else return false;
    return true;
  });
  const keys = view.depth === 0 ? undefined : view.form.add ? FORM_KEYS.list : FORM_KEYS.entry;
  return (
    <Frame screen="containers" keys={keys}>
      <Box flexDirection="column">
        <Text color={theme.muted}>
          {platform === 'illumos'
            ? 'illumos zones'
            : platform === 'freebsd'
              ? 'FreeBSD jails'
              : 'Linux containers (podman or docker)'}
        </Text>
        {list.length === 0 ? (
          <Text>No {noun}s. a adds one; c continues without.</Text>
        ) : (
          <>
            <Text wrap="truncate-end">
              {list.map((c, i) => (
                <Text
                  key={i}
                  bold={i === s.containers.index}
                  color={i === s.containers.index ? theme.accent : theme.muted}
                >
                  {i === s.containers.index ? `[${c.name}]` : ` ${c.name} `}{' '}
                </Text>
              ))}
            </Text>
            {view.depth > 0 ? (
              <Text wrap="truncate-end" bold>
                {view.trail.join(' › ')}
              </Text>
            ) : null}
            <FieldListView
              fields={view.form.fields}
              cursor={view.cursor}
              height={rows - FRAME_LINES - 3 - (view.depth > 0 ? 1 : 0)}
            />
          </>
        )}
      </Box>
    </Frame>
  );
}
