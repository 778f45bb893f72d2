/**
 * A Bloom filter over strings: `mightContain` is false only for keys never
 * added, so a lookup it answers "no" can skip the database. A bulk import asks
 * three such questions per row (identity, email, phone) and most rows are new
 * people; each index probe it saves costs far more than the two hashes here.
 * Pure: no I/O.
 */
export class KeyFilter {
  private readonly bits: Int32Array;
  private readonly size: number;

  /**
   * Sized for `expectedKeys` at 10 bits a key (about 1% false "maybe"s with 4 probes),
   * exactly rather than rounded up to a power of two: at 5M keys that halves its memory.
   */
  constructor(expectedKeys: number) {
    this.size = Math.min(2 ** 31 - 32, Math.max(1 << 16, Math.ceil(expectedKeys) * BITS_PER_KEY));
    this.bits = new Int32Array(Math.ceil(this.size / 32));
  }

  add(key: string): void {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + i * h2) % this.size;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  mightContain(key: string): boolean {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + i * h2) % this.size;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

const PROBES = 4;
const BITS_PER_KEY = 10;
const pair: [number, number] = [0, 0];

/** Two independent 32-bit hashes (FNV-1a and a multiplicative one) for double hashing; the second is odd. */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  pair[0] = a >>> 0;
  pair[1] = (b | 1) >>> 0;
  return pair;
}
