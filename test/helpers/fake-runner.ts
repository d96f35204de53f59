import type { CommandRunner, RunRequest, RunResult } from '../../src/apply/runner.js';

/** A runner that records each command and answers from `answer` (exit 0, empty output unless it says otherwise). */
export class FakeRunner implements CommandRunner {
  readonly calls: string[] = [];
  readonly argvs: (readonly string[])[] = [];
  constructor(private readonly answer: (argv: readonly string[]) => Partial<RunResult>) {}
  async run(req: RunRequest): Promise<RunResult> {
    this.calls.push(req.argv.join(' '));
    this.argvs.push(req.argv);
    return { exitCode: 0, stdout: '', stderr: '', ...this.answer(req.argv) };
  }
}
