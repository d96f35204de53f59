// Types of build/string-width.mjs, for its test.
export function mayBeRgiEmoji(segment: string): boolean;
export const STRING_WIDTH_EMOJI_TEST: { source: string; replacement: string };
