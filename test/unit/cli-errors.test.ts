/**
 * UserError across copies of its module: dist/slipway.js runs validate and plan
 * from a CommonJS bundle that loads machine profiles from the ES-module build, with
 * its own copy of src/cli/errors.ts (build/bundle.mjs).
 */
import { describe, expect, it, vi } from 'vitest';
import { UserError, reportingUserErrors } from '../../src/cli/errors.js';
import { MachineProfileError } from '../../src/disks/machine-read.js';

async function otherCopy(): Promise<typeof import('../../src/cli/errors.js')> {
  vi.resetModules();
  const other = await import('../../src/cli/errors.js');
  expect(other.UserError).not.toBe(UserError); // really another copy
  return other;
}

describe('UserError', () => {
  it('is recognised when made by another copy of its module', async () => {
    const other = await otherCopy();
    expect(new other.UserError('x') instanceof UserError).toBe(true);
    expect(new UserError('x') instanceof other.UserError).toBe(true);
    expect(new Error('x') instanceof UserError).toBe(false);
    expect({ message: 'x' } instanceof UserError).toBe(false);
    expect((null as unknown) instanceof UserError).toBe(false);
  });

  it('keeps the prototype check for a subclass', () => {
    expect(new MachineProfileError('x') instanceof UserError).toBe(true);
    expect(new MachineProfileError('x') instanceof MachineProfileError).toBe(true);
    expect(new UserError('x') instanceof MachineProfileError).toBe(false);
  });

  it('has no own property more than before (an uncaught one prints the same)', () => {
    expect(Reflect.ownKeys(new UserError('x', 'h')).sort()).toEqual([
      'exitCode',
      'hint',
      'message',
      'name',
      'stack',
    ]);
  });

  it("another copy's error is reported, not thrown", async () => {
    const other = await otherCopy();
    let text = '';
    const code = await reportingUserErrors(
      { stderr: { write: (s: string) => (text += s) } as never },
      () => Promise.reject(new other.UserError('bad', 'try this', 3)),
    );
    expect(code).toBe(3);
    expect(text).toBe('slipway: bad\n  hint: try this\n');
    await expect(
      reportingUserErrors({ stderr: process.stderr }, () => Promise.reject(new Error('bug'))),
    ).rejects.toThrow('bug');
  });
});
