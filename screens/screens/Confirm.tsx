import { Box, Text } from 'ink';
import { useDispatch, useTheme, useWizard } from '../context.js';
import { Frame } from '../widgets/Frame.js';
import { useTextInput } from '../widgets/text-input.js';
import { confirmationWord, disksToOverwrite } from '../state/wizard.js';
import { formatSize } from '../../src/schema/size.js';

export function Confirm({ active }: { active: boolean }) {
  const s = useWizard();
  const dispatch = useDispatch();
  const theme = useTheme();
  const typed = s.route.name === 'confirm' ? s.route.typed : '';
  const error = s.route.name === 'confirm' ? s.route.error : undefined;
  useTextInput(
    typed,
    {
      onChange: (value) => dispatch({ type: 'confirm/edit', value }),
      onSubmit: () => dispatch({ type: 'apply/start' }),
      onCancel: () => dispatch({ type: 'back' }),
    },
    active,
  );
  const word = confirmationWord(s.config);
  const targets = disksToOverwrite(s.config, s.disks.list);
  return (
    <Frame screen="confirm">
      <Box flexDirection="column">
        <Text bold color={s.env.dryRun ? undefined : theme.error}>
          {s.env.dryRun
            ? 'Dry run: nothing is written. These disks would be overwritten:'
            : 'Everything on these disks will be destroyed:'}
        </Text>
        {targets.length === 0 ? (
          <Text color={theme.muted}> (no disks: no pool is created)</Text>
        ) : null}
        {targets.slice(0, 12).map((t) => (
          <Text key={t.path} wrap="truncate-end">
            {'  '}
            {t.path.padEnd(14)}{' '}
            {t.disk
              ? `${(t.disk.serial ?? 'no serial').padEnd(20)} ${formatSize(t.disk.size_bytes).padEnd(7)} ${t.disk.model ?? ''}`
              : '(not a detected disk)'}
          </Text>
        ))}
        {targets.length > 12 ? <Text> … and {targets.length - 12} more</Text> : null}
        <Text> </Text>
        <Text>
          {s.env.dryRun ? 'Enter starts the dry run' : 'Type '}
          {s.env.dryRun ? '' : <Text bold>{word}</Text>}
          {s.env.dryRun ? '' : ' and press Enter to apply:'}
        </Text>
        <Text>
          {'> '}
          {typed}
          <Text inverse> </Text>
        </Text>
        {error ? <Text color={theme.error}>✗ {error}</Text> : null}
      </Box>
    </Frame>
  );
}
