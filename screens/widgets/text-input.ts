/**
 * Line editing for prompts and the typed confirmation: printable text appends
 * (pastes too), Backspace deletes, Ctrl-U clears. Pure, so that it is tested
 * without a terminal; `useTextInput` wires it to Ink's input, gated by isActive.
 */
import { type Key, useInput } from 'ink';

export function editLine(value: string, input: string, key: Key): string | undefined {
  if (key.backspace || key.delete) return value.slice(0, -1);
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl || key.meta || key.return || key.escape || key.tab) return undefined;
  if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return undefined;
  if (key.pageUp || key.pageDown) return undefined;
  // Strip control characters a paste may carry.
  const text = [...input].filter((c) => c >= ' ' && c !== '\u007f').join('');
  return text ? value + text : undefined;
}

export function useTextInput(
  value: string,
  handlers: { onChange(v: string): void; onSubmit(): void; onCancel(): void },
  isActive: boolean,
): void {
  useInput(
    (input, key) => {
      if (key.return) return handlers.onSubmit();
      if (key.escape) return handlers.onCancel();
      const next = editLine(value, input, key);
      if (next !== undefined && next !== value) handlers.onChange(next);
    },
    { isActive },
  );
}
