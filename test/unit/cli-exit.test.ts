import { describe, expect, it } from 'vitest';
import { exitWhenWritten } from '../../src/cli/exit.js';

/** A stream that holds each write's callback until `flush()`. */
function heldStream() {
  const held: (() => void)[] = [];
  const writes: string[] = [];
  return {
    writes,
    flush: () => held.splice(0).forEach((cb) => cb()),
    stream: {
      write(chunk: string, cb: () => void) {
        writes.push(chunk);
        held.push(cb);
        return false;
      },
    } as unknown as NodeJS.WritableStream,
  };
}

describe('exitWhenWritten', () => {
  it('ends the process only once every stream has handed over what was written', async () => {
    const out = heldStream();
    const err = heldStream();
    const exits: number[] = [];
    const done = exitWhenWritten([out.stream, err.stream], 3, (c) => exits.push(c));
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([]);
    out.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([]);
    err.flush();
    await done;
    expect(exits).toEqual([3]);
    // nothing is added to what the command printed
    expect([...out.writes, ...err.writes]).toEqual(['', '']);
  });
});
