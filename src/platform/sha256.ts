/**
 * SHA-256 (FIPS 180-4, section 6.2) in plain JavaScript, for the few short texts
 * a plan hashes (the content of each file a step writes, in its probe).
 *
 * Why not node:crypto: loading it loads about twenty of Node's internal modules
 * (ciphers, keys, X.509, streams) before the first hash: +14 ms on the single
 * executable's Node 26 and +6 ms on Node 20 for `node -e` (medians of 31
 * interleaved runs), a tenth of a 10,000-dataset `plan --json` there. Hashing a
 * plan's texts here takes well under a millisecond. Apply, which reads files
 * back, still hashes them with node:crypto; test/unit/sha256.test.ts checks this
 * against it.
 */

/** The first 32 bits of the fractional part of `x`. */
const frac32 = (x: number): number => ((x - Math.floor(x)) * 2 ** 32) >>> 0;

/** The first `n` primes (plain loops: this runs once per process, before any tiering). */
function primes(n: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < n; c++) {
    let prime = true;
    for (let i = 0; prime && out[i]! * out[i]! <= c; i++) prime = c % out[i]! !== 0;
    if (prime) out.push(c);
  }
  return out;
}

// Section 4.2.2: the cube roots of the first 64 primes; section 5.3.3: the square
// roots of the first 8. (Math.cbrt and Math.sqrt are exact to the 32 bits taken
// here for primes this small; the tests check the results against node:crypto.)
const P = primes(64);
const K = Int32Array.from(P, (p) => frac32(Math.cbrt(p)));
const H0 = Int32Array.from(P.slice(0, 8), (p) => frac32(Math.sqrt(p)));

const W = new Int32Array(64);

/** SHA-256 of `bytes`, as 64 lowercase hex digits. */
export function sha256Hex(bytes: Uint8Array): string {
  const n = bytes.length;
  // the message, a 1 bit, zeros, and its length in bits as 64 bits big-endian
  const padded = new Uint8Array(((n + 72) >>> 6) << 6);
  padded.set(bytes);
  padded[n] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(n / 2 ** 29));
  view.setUint32(padded.length - 4, (n << 3) >>> 0);
  let h0 = H0[0]!;
  let h1 = H0[1]!;
  let h2 = H0[2]!;
  let h3 = H0[3]!;
  let h4 = H0[4]!;
  let h5 = H0[5]!;
  let h6 = H0[6]!;
  let h7 = H0[7]!;
  for (let off = 0; off < padded.length; off += 64) {
    for (let t = 0; t < 16; t++) W[t] = view.getInt32(off + t * 4);
    for (let t = 16; t < 64; t++) {
      const x = W[t - 15]!;
      const y = W[t - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let f = h5;
    let g = h6;
    let h = h7;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K[t]! + W[t]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + S0 + maj) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  let hex = '';
  for (const v of [h0, h1, h2, h3, h4, h5, h6, h7]) hex += (v >>> 0).toString(16).padStart(8, '0');
  return hex;
}

/** SHA-256 of `text` encoded as UTF-8, in hex. */
export function sha256Utf8(text: string): string {
  return sha256Hex(Buffer.from(text, 'utf8'));
}
