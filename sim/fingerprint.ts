// Fingerprint: a rolling 64-bit hash of a run, the proof of determinism (DESIGN §6).
//
// The simulator mixes every processed event's (timeUs, seq); components mix in whatever else
// should match between two runs of the same seed (message contents, decisions, costs). Two
// independent 32-bit lanes (a MurmurHash3-style lane and an FNV-1a-style lane, both built on
// Math.imul) make a 64-bit state, so an accidental collision between two diverged runs is
// negligible. Integers are split arithmetically and other numbers read through a little-endian
// DataView, so the value is the same on every machine. Mixing costs a handful of integer
// operations and allocates nothing.

const twoPow32 = 4294967296;
const floatBytes = new DataView(new ArrayBuffer(8));

export class Fingerprint {
  private laneA = 0x9747b28c;
  private laneB = 0x811c9dc5;
  /** Words mixed so far (folded into the digest so that length matters). */
  private words = 0;

  /** Mixes one number: safe integers exactly, any other number by its IEEE-754 bits. */
  mix(value: number): void {
    if (Number.isSafeInteger(value)) {
      this.mixWord(value >>> 0);
      this.mixWord(Math.floor(value / twoPow32) | 0);
    } else {
      floatBytes.setFloat64(0, value, true);
      this.mixWord(floatBytes.getUint32(0, true));
      this.mixWord(floatBytes.getUint32(4, true) ^ 0x5bd1e995);
    }
  }

  /** Mixes a processed event; both values are non-negative safe integers. */
  mixEvent(timeUs: number, seq: number): void {
    this.mixWord(timeUs >>> 0);
    this.mixWord((timeUs / twoPow32) | 0);
    this.mixWord(seq >>> 0);
    this.mixWord((seq / twoPow32) | 0);
  }

  /** Mixes a string by its UTF-16 code units, prefixed by its length. */
  mixString(text: string): void {
    this.mixWord(text.length);
    for (let index = 0; index < text.length; index++) this.mixWord(text.charCodeAt(index));
  }

  /** Mixes one 32-bit word into both lanes. */
  mixWord(word: number): void {
    let k = Math.imul(word, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let a = this.laneA ^ k;
    a = (a << 13) | (a >>> 19);
    this.laneA = (Math.imul(a, 5) + 0xe6546b64) | 0;
    this.laneB = Math.imul(this.laneB ^ word ^ (word >>> 16), 0x01000193);
    this.words++;
  }

  /** The digest so far as 16 hex digits; does not change the state. */
  hex(): string {
    const a = finalize(this.laneA ^ this.words);
    const b = finalize(this.laneB ^ Math.imul(this.words, 0x27d4eb2f) ^ a);
    return hex32(a) + hex32(b);
  }

  /** Number of 32-bit words mixed so far. */
  get wordCount(): number {
    return this.words;
  }
}

/** MurmurHash3's fmix32: spreads every input bit over the whole word. */
function finalize(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex32(value: number): string {
  return value.toString(16).padStart(8, "0");
}
