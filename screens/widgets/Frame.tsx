import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { KEYMAP, type KeyName, SCREEN_KEYS, type ScreenName } from '../keys.js';
import { useTheme, useWizard } from '../context.js';
import { HintLine } from './HintLine.js';
import { PromptBox } from './Prompt.js';
import { useTermSize } from './use-term-size.js';
import { ORDER } from '../state/wizard.js';

export const TITLES: Record<ScreenName, string> = {
  welcome: 'Welcome',
  disks: 'Disks',
  topology: 'Pool topology',
  datasets: 'Datasets',
  containers: 'Containers',
  system: 'System',
  review: 'Review',
  confirm: 'Confirm',
  apply: 'Apply',
};

const HELP: Record<ScreenName, string> = {
  welcome:
    'Slipway builds ZFS pools, datasets and containers from one config. Nothing is written until you confirm.',
  disks:
    'Pick the disks the pools may use. Disks in use (mounted, in a pool, swap…) are listed with the reason and cannot be picked.',
  topology:
    'Each pool has data vdevs and optional log, cache, spare and special devices. Enter on a vdev lets Space put picked disks into it.',
  datasets:
    'File systems and volumes of the pools, as a tree. Reservations count against the pool capacity.',
  containers:
    'Workloads for this platform, each with a nested system config (hostname, users, packages, a script). Rows marked ▸ open a list (ports, volumes, environment, nets, parameters…) or an entry: Enter edits, a adds, x removes, Esc goes back.',
  system:
    "The host's name, time zone, network interfaces, users, name servers, routes and NTP servers. Rows marked ▸ open a list or an entry: Enter edits, a adds, x removes, Esc goes back.",
  review:
    'The config that will be written, the commands apply will run, and every problem found. Errors must be fixed first.',
  confirm: 'These disks are overwritten. Type the pool names to confirm.',
  apply:
    'Steps run in order; finished steps stay above, running ones show their last output lines.',
};

/** Lines the frame itself takes: header, a hint line that may wrap to two, and slack. */
export const FRAME_LINES = 5;

/** The chrome of every screen: a header, the body, the prompt when one is open, help, the hint line. */
export function Frame({
  screen,
  children,
  hintExtra,
  keys = SCREEN_KEYS[screen],
  fill = true,
}: {
  screen: ScreenName;
  children: ReactNode;
  hintExtra?: string | undefined;
  /** The keys the screen takes now, when not its usual ones (a form opened below it). */
  keys?: readonly KeyName[];
  /** Take the whole terminal height (not for Apply, whose finished steps scroll above). */
  fill?: boolean;
}) {
  const s = useWizard();
  const theme = useTheme();
  const { rows } = useTermSize();
  const step = ORDER.indexOf(screen) + 1;
  return (
    <Box flexDirection="column" height={fill ? rows - 1 : undefined}>
      <Text wrap="truncate-end">
        <Text bold color={theme.accent}>
          slipway
        </Text>
        <Text color={theme.muted}> {step}/9 </Text>
        <Text bold>{TITLES[screen]}</Text>
        <Text color={s.env.dryRun ? theme.ok : theme.error}>
          {'  '}
          {s.env.dryRun ? '[dry run]' : '[APPLY: changes this machine]'}
        </Text>
        {s.env.demo ? <Text color={theme.muted}> [demo machine]</Text> : null}
      </Text>
      <Box flexDirection="column" flexGrow={fill ? 1 : 0} overflowY="hidden">
        {s.help ? (
          <Box flexDirection="column" borderStyle="single" paddingX={1}>
            <Text>{HELP[screen]}</Text>
            {keys.map((k) => (
              <Text key={k}>
                <Text bold>{KEYMAP[k].label.padEnd(10)}</Text> {KEYMAP[k].desc}
              </Text>
            ))}
            <Text color={theme.muted}>? or Esc closes this help</Text>
          </Box>
        ) : (
          children
        )}
      </Box>
      {s.prompt ? <PromptBox prompt={s.prompt} /> : null}
      {s.quitAsk ? (
        <Text color={theme.warning} bold>
          Quit while applying? Steps already done stay done; a re-run resumes. y quits, n goes on.
        </Text>
      ) : null}
      <HintLine keys={keys} extra={hintExtra} />
    </Box>
  );
}
