import { Box, Text } from 'ink';
import { type KeyName, hintItems } from '../keys.js';
import { useTheme } from '../context.js';

/** The keys a screen takes, from the one key map. Always the last line. */
export function HintLine({ keys, extra }: { keys: readonly KeyName[]; extra?: string }) {
  const theme = useTheme();
  const items = hintItems(keys);
  return (
    <Box>
      <Text wrap="wrap">
        {items.map((it, i) => (
          <Text key={it.label + it.desc}>
            {i > 0 ? '  ' : ''}
            <Text bold color={theme.accent}>
              {it.label}
            </Text>{' '}
            <Text color={theme.muted}>{it.desc}</Text>
          </Text>
        ))}
        {extra ? <Text color={theme.warning}>{'  ' + extra}</Text> : null}
      </Text>
    </Box>
  );
}
