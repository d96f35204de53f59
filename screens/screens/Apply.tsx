import { useEffect, useState } from 'react';
import { Box, Static, Text, useInput } from 'ink';
import { useDispatch, useTheme, useWizard } from '../context.js';
import { Frame } from '../widgets/Frame.js';
import type { ApplyRun, StepView } from '../state/apply.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A clock for the spinner and the elapsed time; only mounted while steps run. */
function useTick(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function seconds(ms: number): string {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)}s`
    : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

const MARK: Record<StepView['status'], string> = {
  running: '…',
  ok: '✓',
  skipped: '=',
  failed: '✗',
};

function Running({ run }: { run: ApplyRun }) {
  const theme = useTheme();
  const now = useTick(100);
  const running = run.order.map((id) => run.steps[id]!).filter((st) => st.status === 'running');
  const frame = FRAMES[Math.floor(now / 100) % FRAMES.length];
  return (
    <Box flexDirection="column">
      {running.map((st) => (
        <Box key={st.id} flexDirection="column">
          <Text wrap="truncate-end">
            <Text color={theme.accent}>{frame}</Text> {st.title}
            <Text color={theme.muted}> [{st.context}]</Text>
          </Text>
          {st.tail.map((l, i) => (
            <Text key={i} color={theme.muted} wrap="truncate-end">
              {'    '}
              {l}
            </Text>
          ))}
        </Box>
      ))}
      <Text color={theme.muted}>
        {run.finished.length} finished · {seconds(now - run.startedAt)} elapsed
      </Text>
    </Box>
  );
}

export function Apply({ active }: { active: boolean }) {
  const s = useWizard();
  const dispatch = useDispatch();
  const theme = useTheme();
  const run = s.route.name === 'apply' ? s.route.run : undefined;
  useInput(
    (input, key) => {
      if (s.quitAsk) {
        if (input === 'y' || input === 'Y') dispatch({ type: 'quit/confirm' });
        else if (input === 'n' || input === 'N' || key.escape) dispatch({ type: 'quit/cancel' });
        return;
      }
      if (run && run.status !== 'running' && (key.return || input === 'q'))
        dispatch({ type: 'finish' });
    },
    { isActive: active },
  );
  if (!run) return null;
  const finished = run.finished.map((id) => run.steps[id]!);
  const failed = finished.find((st) => st.status === 'failed');
  const total = (st: 'ok' | 'skipped' | 'failed') => finished.filter((x) => x.status === st).length;
  return (
    <>
      <Static items={finished}>
        {(st) => (
          <Text
            key={st.id}
            wrap="truncate-end"
            color={st.status === 'failed' ? theme.error : undefined}
          >
            <Text
              color={
                st.status === 'failed' ? theme.error : st.status === 'ok' ? theme.ok : theme.muted
              }
            >
              {MARK[st.status]}
            </Text>{' '}
            {st.title}{' '}
            <Text color={theme.muted}>
              [{st.context}]{st.command === undefined ? ` ${seconds(st.elapsedMs)}` : ''}
              {st.status === 'skipped'
                ? ' already done'
                : st.refuse !== undefined
                  ? ' would fail'
                  : st.command !== undefined
                    ? ' would run'
                    : ''}
            </Text>
            {st.command !== undefined && st.status === 'ok' ? (
              <Text color={theme.muted}>{'\n    $ ' + st.command}</Text>
            ) : null}
            {st.refuse !== undefined ? <Text>{'\n    ' + st.refuse}</Text> : null}
          </Text>
        )}
      </Static>
      <Frame
        screen="apply"
        fill={false}
        hintExtra={run.status !== 'running' ? 'Enter or q to leave' : undefined}
      >
        {run.status === 'running' ? <Running run={run} /> : null}
        {run.status === 'failed' ? (
          <Box flexDirection="column" borderStyle="single" borderColor={theme.error} paddingX={1}>
            <Text bold color={theme.error}>
              ✗ {failed ? `step failed: ${failed.title}` : 'apply failed'}
            </Text>
            {run.failure ? <Text wrap="wrap">{run.failure.message}</Text> : null}
            {run.failure?.details.map((l, i) => (
              <Text key={i} color={theme.muted} wrap="truncate-end">
                {'  '}
                {l}
              </Text>
            ))}
            <Text wrap="wrap">
              What next:{' '}
              {run.failure?.hint ??
                `fix the cause above, then run "slipway apply ${run.configPath ?? 'CONFIG'}" (or this wizard) again: finished steps are skipped, the journal remembers them.`}
            </Text>
            {run.journalPath ? <Text color={theme.muted}>journal: {run.journalPath}</Text> : null}
            <Text color={theme.muted}>config: {run.configPath}</Text>
          </Box>
        ) : null}
        {run.status === 'done' ? (
          <Box flexDirection="column" borderStyle="single" borderColor={theme.ok} paddingX={1}>
            <Text bold color={theme.ok}>
              ✓{' '}
              {s.env.dryRun
                ? `dry run complete: ${total('ok')} steps would run, ${total('skipped')} already done${total('failed') ? `, ${total('failed')} would fail (see above)` : ''}; nothing was changed`
                : `applied: ${total('ok')} steps done, ${total('skipped')} already done, ${seconds(run.summary?.elapsed_ms ?? 0)}`}
            </Text>
            <Text>config: {run.configPath}</Text>
            {run.journalPath ? <Text>journal: {run.journalPath}</Text> : null}
          </Box>
        ) : null}
      </Frame>
    </>
  );
}
