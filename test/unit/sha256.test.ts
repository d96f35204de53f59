import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256Utf8 } from '../../src/platform/sha256.js';
import { sha256 } from '../../src/platform/files.js';

const reference = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('sha256 (src/platform/sha256.ts)', () => {
  it('gives the FIPS 180-4 example digests', () => {
    // FIPS 180-4's published examples (SHA256.pdf): one block, two blocks, a million bytes
    expect(sha256Utf8('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256Utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(sha256Utf8('a'.repeat(1_000_000))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
    expect(sha256Utf8('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('agrees with node:crypto at every length around the block and length-field boundaries', () => {
    for (let n = 0; n <= 200; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 0xff);
      expect(sha256Hex(bytes), `${n} bytes`).toBe(reference(bytes));
    }
  });

  it('agrees with node:crypto on any text, as UTF-8 (also astral characters and lone surrogates)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(sha256Utf8(text)).toBe(reference(text));
      }),
      { numRuns: 500 },
    );
    for (const text of ['\ud800', 'a\udc00b', 'ключ=значение\n', '🔑 ssh-ed25519 AAAA…']) {
      expect(sha256Utf8(text)).toBe(reference(text));
    }
  });

  it('is what the plan hashes file contents with (files.ts), the same again from its memo', () => {
    const text = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBench bench@x\n';
    expect(sha256(text)).toBe(reference(text));
    expect(sha256(text)).toBe(reference(text));
  });
});
