/** The apply engine: the only code that runs commands on the machine. */
export * from './types.js';
export {
  runApply,
  applyPlan,
  dryRunPlan,
  defaultJobs,
  type ApplyOptions,
  type DryRunStep,
} from './executor.js';
export { processRunner, type CommandRunner, type RunRequest, type RunResult } from './runner.js';
export {
  FileJournal,
  MemoryJournal,
  ReadOnlyJournal,
  defaultJournalPath,
  parseJournal,
  type JournalStore,
  type JournalRecord,
} from './journal.js';
export { ProbeOracle } from './probes.js';
export { ndjsonRenderer, ttyRenderer, failureReport, describeFailure } from './render.js';
export {
  checkStepDevices,
  stepsWritingDevices,
  detectMachineDisks,
  type DeviceRefusal,
} from './safety.js';
