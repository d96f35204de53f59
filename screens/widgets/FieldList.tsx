import { Box, Text, useInput } from 'ink';
import type { Field } from '../../src/wizard/fields.js';
import { useTheme } from '../context.js';
import { is } from '../keys.js';
import type { Dispatch } from '../state/store.js';
import { clamp, windowRange } from './window.js';

/** A form as a list of label/value rows; Enter edits (or toggles, or adds, or opens ▸). */
export function FieldListView({
  fields,
  cursor,
  height,
}: {
  fields: readonly Field[];
  cursor: number;
  height: number;
}) {
  const theme = useTheme();
  const c = clamp(cursor, 0, fields.length - 1);
  const { start, end } = windowRange(c, fields.length, height - 1);
  const labelW = Math.min(24, Math.max(10, ...fields.map((f) => f.label.length)) + 1);
  const cur = fields[c];
  return (
    <Box flexDirection="column">
      {fields.slice(start, end).map((f, i) => {
        const at = start + i === c;
        return (
          <Text
            key={f.id}
            wrap="truncate-end"
            bold={at}
            color={at ? theme.selected : f.adds ? theme.muted : undefined}
          >
            {at ? '›' : ' '} {f.label.padEnd(labelW)} {f.value}
            {f.opens ? <Text color={theme.muted}> ▸</Text> : null}
          </Text>
        );
      })}
      {cur?.help ? (
        <Text color={theme.muted} wrap="truncate-end">
          {cur.help}
        </Text>
      ) : null}
    </Box>
  );
}

/**
 * Keys of a form: move, Enter edits; in a list, `a` adds and x/Delete removes;
 * Esc goes back (closing an opened form first). `extra` handles what the screen adds.
 */
export function useFieldListInput(
  dispatch: Dispatch,
  isActive: boolean,
  extra?: (input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => boolean,
): void {
  useInput(
    (input, key) => {
      if (extra?.(input, key)) return;
      if (is('up', input, key)) dispatch({ type: 'form/move', delta: -1 });
      else if (is('down', input, key)) dispatch({ type: 'form/move', delta: 1 });
      else if (is('confirm', input, key) || is('toggle', input, key))
        dispatch({ type: 'form/activate' });
      else if (is('add', input, key)) dispatch({ type: 'form/add' });
      else if (is('remove', input, key)) dispatch({ type: 'form/remove' });
      else if (is('next', input, key)) dispatch({ type: 'next' });
      else if (is('back', input, key)) dispatch({ type: 'back' });
    },
    { isActive },
  );
}
