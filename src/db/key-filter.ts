/**
 * A Bloom filter over strings: `mightContain` is false only for keys never
 * added, so a lookup it answers "no" can skip the database. A bulk import asks
 * three such questions per row (identity, email, phone) and most rows are new
 * people; each index probe it saves costs far more than the two hashes here.
 * Pure: no I/O.
 */
export class KeyFilter {
  private readonly bits: Int32Array;
  private readonly mask: number;

  /**
   * Sized for `expectedKeys` at 10 to 20 bits a key (under 1.2% false "maybe"s with 4
   * probes): a power of two, so a probe is a mask, not a division.
   */
  constructor(expectedKeys: number) {
    let size = 1 << 16;
    while (size < expectedKeys * BITS_PER_KEY && size < 2 ** 30) size *= 2;
    this.bits = new Int32Array(size >>> 5);
    this.mask = size - 1;
  }

  add(key: string): void {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + i * h2) & this.mask;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  mightContain(key: string): boolean {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + i * h2) & this.mask;
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
