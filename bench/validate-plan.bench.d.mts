// Types of bench/validate-plan.bench.mjs, for the tests that run its config.
export function generateConfig(options?: { datasets?: number; containers?: number }): unknown;
export default function (): Promise<void>;
