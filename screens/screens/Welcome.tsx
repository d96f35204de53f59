import type { ReactNode } from 'react';
import { Box, Text, useInput } from 'ink';
import { useDispatch, useTheme, useWizard } from '../context.js';
import { is } from '../keys.js';
import { Frame } from '../widgets/Frame.js';

function Row({ label, children }: { label: string; children: ReactNode }) {
  const theme = useTheme();
  return (
    <Box>
      <Box width={16} flexShrink={0}>
        <Text color={theme.muted}>{label}</Text>
      </Box>
      <Text>{children}</Text>
    </Box>
  );
}

export function Welcome({ active }: { active: boolean }) {
  const s = useWizard();
  const dispatch = useDispatch();
  const theme = useTheme();
  useInput(
    (input, key) => {
      if (is('enterNext', input, key)) dispatch({ type: 'next' });
    },
    { isActive: active },
  );
  const { env } = s;
  return (
    <Frame screen="welcome">
      <Box flexDirection="column" marginTop={1}>
        <Text>Slipway sets up this machine&apos;s storage and workloads from one config.</Text>
        <Text> </Text>
        <Row label="platform">{env.platform}</Row>
        <Row label="disks from">
          {env.demo
            ? 'the built-in demo machine (nothing here is touched)'
            : env.machinePath
              ? `the recorded machine ${env.machinePath} (nothing here is touched)`
              : 'this machine'}
        </Row>
        <Row label="target">
          {env.dryRun ? (
            <Text color={theme.ok}>dry run: shows every command, changes nothing</Text>
          ) : (
            <Text color={theme.error} bold>
              REAL apply: the disks you confirm will be overwritten
            </Text>
          )}
        </Row>
        <Row label="config file">{env.outPath}</Row>
        {env.configPath ? <Row label="prefilled from">{env.configPath}</Row> : null}
        <Text> </Text>
        <Text color={theme.muted}>
          {env.dryRun && !env.demo && !env.machinePath
            ? 'For a real install run "slipway --apply" as root.'
            : ''}
        </Text>
        <Text>Press Enter to begin.</Text>
      </Box>
    </Frame>
  );
}
