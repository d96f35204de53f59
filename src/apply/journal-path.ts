/**
 * Default journal path: next to the config (`CONFIG.journal`). On its own, so
 * that apply's start (which needs only the path) does not load the journal's
 * node:crypto before the disk detection's commands start.
 */
export function defaultJournalPath(configPath: string): string {
  return `${configPath}.journal`;
}
