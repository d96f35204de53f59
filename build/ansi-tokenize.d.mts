// Types of build/ansi-tokenize.mjs, for its test.
export * from '@alcalzone/ansi-tokenize';
import type { StyledChar } from '@alcalzone/ansi-tokenize';
export function styledCharsToString(chars: StyledChar[]): string;
