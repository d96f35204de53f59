import { Box, Text, useInput } from 'ink';
import { useDispatch, useTheme, useWizard } from '../context.js';
import { is } from '../keys.js';
import { FRAME_LINES, Frame } from '../widgets/Frame.js';
import { useTermSize } from '../widgets/use-term-size.js';
import type { ReviewCheck, ReviewTab } from '../state/wizard.js';

function lines(check: ReviewCheck, tab: ReviewTab): string[] {
  if (tab === 'config') return check.text.replace(/\n$/, '').split('\n');
  if (tab === 'plan') return check.planLines.length ? check.planLines : ['(no steps)'];
  return check.diagnostics.length
    ? check.diagnostics.map(
        (d) =>
          `${d.severity === 'error' ? '✗ error' : '! warning'} ${d.path || '(top)'}: ${d.message}${d.hint ? ` — ${d.hint}` : ''}`,
      )
    : ['✓ no problems found'];
}

export function Review({ active }: { active: boolean }) {
  const s = useWizard();
  const dispatch = useDispatch();
  const theme = useTheme();
  const { rows } = useTermSize();
  const height = rows - FRAME_LINES - 3;
  useInput(
    (input, key) => {
      if (is('up', input, key)) dispatch({ type: 'review/scroll', delta: -1 });
      else if (is('down', input, key)) dispatch({ type: 'review/scroll', delta: 1 });
      else if (is('pageUp', input, key)) dispatch({ type: 'review/scroll', delta: -height });
      else if (is('pageDown', input, key)) dispatch({ type: 'review/scroll', delta: height });
      else if (is('tab', input, key)) dispatch({ type: 'review/tab' });
      else if (is('save', input, key)) dispatch({ type: 'review/save' });
      else if (is('enterNext', input, key)) dispatch({ type: 'next' });
      else if (is('back', input, key)) dispatch({ type: 'back' });
    },
    { isActive: active },
  );
  if (s.route.name !== 'review') return null;
  const { check, tab, scroll } = s.route;
  if (!check)
    return (
      <Frame screen="review">
        <Text color={theme.accent}>Checking the config and planning the commands…</Text>
      </Frame>
    );
  const all = lines(check, tab);
  const start = Math.min(scroll, Math.max(0, all.length - height));
  const warnings = check.diagnostics.length - check.errors;
  return (
    <Frame screen="review" hintExtra={check.errors ? 'errors block going on' : undefined}>
      <Box flexDirection="column">
        <Text wrap="truncate-end">
          {(['config', 'plan', 'diagnostics'] as const).map((t) => (
            <Text key={t} bold={t === tab} color={t === tab ? theme.accent : theme.muted}>
              {t === tab ? `[${t}]` : ` ${t} `}{' '}
            </Text>
          ))}
          <Text color={check.errors ? theme.error : theme.ok}>
            {check.errors ? `✗ ${check.errors} error${check.errors > 1 ? 's' : ''}` : '✓ valid'}
          </Text>
          {warnings ? (
            <Text color={theme.warning}>
              {' '}
              · {warnings} warning{warnings > 1 ? 's' : ''}
            </Text>
          ) : null}
          <Text color={theme.muted}> · {check.planLines.length} steps</Text>
        </Text>
        {all.slice(start, start + height).map((l, i) => (
          <Text
            key={start + i}
            wrap={tab === 'diagnostics' ? 'wrap' : 'truncate-end'}
            color={l.startsWith('✗') ? theme.error : l.startsWith('! ') ? theme.warning : undefined}
          >
            {l}
          </Text>
        ))}
        <Text wrap="truncate-end" color={s.saved && 'error' in s.saved ? theme.error : theme.muted}>
          {s.saved === null
            ? `w writes the config to ${s.env.outPath}`
            : 'error' in s.saved
              ? `✗ not saved: ${s.saved.error}`
              : `✓ saved to ${s.saved.path} (mode ${s.saved.mode.toString(8)})`}
        </Text>
      </Box>
    </Frame>
  );
}
