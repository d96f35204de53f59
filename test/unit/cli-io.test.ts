import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writePieces } from '../../src/cli/io.js';
import { tempDir } from '../helpers/temp.js';

const pieces = ['{"platform":"linux","steps":[', '{"id":"a"}', ',', '{"id":"b…"}', ']}\n'];

describe('writePieces', () => {
  it('writes each piece to a stream, in order', () => {
    const written: string[] = [];
    const out = new Writable({
      decodeStrings: false,
      write(chunk: string, _enc, done) {
        written.push(chunk);
        done();
      },
    });
    writePieces(out, pieces);
    expect(written).toEqual(pieces);
  });

  it('writes to the file of a stream on a file descriptor the same bytes, without the stream', () => {
    const file = join(tempDir('slipway-io-'), 'out.json');
    const fd = openSync(file, 'w');
    const out = Object.assign(
      new Writable({
        write() {
          throw new Error('the stream is not used for a file');
        },
      }),
      { fd },
    );
    try {
      writePieces(out, pieces);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file, 'utf8')).toBe(pieces.join(''));
  });

  it('writes to a descriptor given as a number (standard output into a file)', () => {
    const file = join(tempDir('slipway-io-'), 'out.json');
    const fd = openSync(file, 'w');
    try {
      writePieces(fd, pieces);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file, 'utf8')).toBe(pieces.join(''));
  });
});
