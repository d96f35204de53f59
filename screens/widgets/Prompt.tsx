import { Box, Text } from 'ink';
import { useDispatch, useTheme } from '../context.js';
import type { Prompt } from '../state/wizard.js';
import { useTextInput } from './text-input.js';

/** A one-line text prompt over the current screen: Enter applies, Esc cancels. */
export function PromptBox({ prompt }: { prompt: Prompt }) {
  const dispatch = useDispatch();
  const theme = useTheme();
  useTextInput(
    prompt.value,
    {
      onChange: (value) => dispatch({ type: 'prompt/edit', value }),
      onSubmit: () => dispatch({ type: 'prompt/submit' }),
      onCancel: () => dispatch({ type: 'prompt/cancel' }),
    },
    true,
  );
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text wrap="truncate-end">
        <Text bold>{prompt.label}: </Text>
        {prompt.value}
        <Text inverse> </Text>
      </Text>
      {prompt.error ? (
        <Text color={theme.error} wrap="truncate-end">
          ✗ {prompt.error}
        </Text>
      ) : prompt.help ? (
        <Text color={theme.muted} wrap="truncate-end">
          {prompt.help}
        </Text>
      ) : null}
      <Text color={theme.muted}>Enter apply · Esc cancel</Text>
    </Box>
  );
}
