// Types of build/options.mjs, for the tests that build with the same options.
import type { BuildOptions } from 'esbuild';

export const root: string;
export const pkg: { name: string; version: string };
export function esbuildOptions(options?: { minify?: boolean; entry?: string }): BuildOptions & {
  define: Record<string, string>;
};
export function asciiOnly(code: string): string;
