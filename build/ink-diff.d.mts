// Types of build/ink-diff.mjs, for its test.
type Props = Record<string, unknown> | null | undefined;
export function diff(before: Props, after: Props): Props;
export const INK_DIFF_SOURCE: string;
export const INK_PROPS_LOOP: { source: string; replacement: string };
