/**
 * The synchronous form of `loadConfigText` (load.ts), for callers that cannot
 * wait: zod is loaded with this module.
 */
import { parseConfigText } from '../schema/parse.js';
import { checkParsedConfig, type CheckOptions, type CheckResult } from './load.js';

export type { CheckOptions, CheckResult } from './load.js';

/** Text → parse → (resolve selectors) → semantic checks, with line/column on every finding. */
export function checkConfigText(text: string, options: CheckOptions = {}): CheckResult {
  return checkParsedConfig(text, parseConfigText(text), options);
}
