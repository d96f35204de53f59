import { Box, Text } from 'ink';
import { useDispatch, useTheme, useWizard } from '../context.js';
import { is } from '../keys.js';
import { FieldListView, useFieldListInput } from '../widgets/FieldList.js';
import { FRAME_LINES, Frame } from '../widgets/Frame.js';
import { useTermSize } from '../widgets/use-term-size.js';
import {
  CONTAINER_NOUN,
  containerFields,
  containerKind,
  containersOf,
} from '../../src/wizard/fields.js';

export function Containers({ active }: { active: boolean }) {
  const s = useWizard();
  const dispatch = useDispatch();
  const theme = useTheme();
  const { rows } = useTermSize();
  const platform = s.env.platform;
  const noun = CONTAINER_NOUN[containerKind(platform)];
  const list = containersOf(s.config, platform);
  useFieldListInput(dispatch, active, (input, key) => {
    if (is('add', input, key)) dispatch({ type: 'prompt/open', target: { kind: 'container-add' } });
    else if (is('tab', input, key)) dispatch({ type: 'containers/next' });
    else if (is('remove', input, key) && list.length) dispatch({ type: 'containers/remove' });
    else return false;
    return true;
  });
  const fields = containerFields(s.config, platform, s.containers.index);
  return (
    <Frame screen="containers">
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
            <FieldListView
              fields={fields}
              cursor={s.containers.cursor}
              height={rows - FRAME_LINES - 3}
            />
          </>
        )}
      </Box>
    </Frame>
  );
}
