/**
 * Colours by role, in one place. With NO_COLOR set every role is plain text and
 * emphasis is carried by markers (›, [x], ✓ ✗) that every screen shows anyway.
 */
export interface Theme {
  /** Ink colour names by role; undefined leaves the terminal's default. */
  accent: string | undefined;
  muted: string | undefined;
  error: string | undefined;
  warning: string | undefined;
  ok: string | undefined;
  selected: string | undefined;
  /** Whether dim text is used for muted content. */
  dim: boolean;
  /** Inverse video for the cursor line (readable without colour too). */
  inverse: boolean;
}

export const colourTheme: Theme = {
  accent: 'cyan',
  muted: 'gray',
  error: 'red',
  warning: 'yellow',
  ok: 'green',
  selected: 'cyan',
  dim: true,
  inverse: false,
};

export const noColourTheme: Theme = {
  accent: undefined,
  muted: undefined,
  error: undefined,
  warning: undefined,
  ok: undefined,
  selected: undefined,
  dim: false,
  inverse: false,
};

/** NO_COLOR (any value, https://no-color.org) turns colour off. */
export function themeFor(env: NodeJS.ProcessEnv): Theme {
  return 'NO_COLOR' in env ? noColourTheme : colourTheme;
}
