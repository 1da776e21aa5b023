/**
 * The market's only source of randomness: sfc32 (Chris Doty-Humphrey's Small Fast
 * Counting generator), 128 bits of state. The whole state is four uint32s in a plain
 * array so it lives on MarketState, survives JSON and a restart continues the exact
 * same sequence. No Math.random anywhere in the engine.
 */

const TWO_POW_32 = 4294967296;

/** Four uint32 words from one seed; splitmix32 spreads nearby seeds (0, 1, 2...) apart. */
export function seedRng(seed: number): number[] {
  let s = seed >>> 0;
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    words.push((z ^ (z >>> 16)) >>> 0);
  }
  // A few rounds so the first outputs do not echo the seeding.
  for (let i = 0; i < 12; i++) nextUint32(words);
  return words;
}

/** One sfc32 step; mutates `rng` and keeps every word a uint32 (JSON-safe). */
export function nextUint32(rng: number[]): number {
  let a = rng[0] | 0;
  let b = rng[1] | 0;
  let c = rng[2] | 0;
  let d = rng[3] | 0;
  const t = (((a + b) | 0) + d) | 0;
  d = (d + 1) | 0;
  a = b ^ (b >>> 9);
  b = (c + (c << 3)) | 0;
  c = (c << 21) | (c >>> 11);
  c = (c + t) | 0;
  rng[0] = a >>> 0;
  rng[1] = b >>> 0;
  rng[2] = c >>> 0;
  rng[3] = d >>> 0;
  return t >>> 0;
}

/** Uniform in the open interval (0, 1): never 0, so Math.log of it is always finite. */
export function nextUniform(rng: number[]): number {
  return (nextUint32(rng) + 0.5) / TWO_POW_32;
}

/**
 * Standard normal by Box-Muller. The second value of the pair is thrown away on
 * purpose: caching it would put hidden state outside `rng` and break replay.
 */
export function nextGaussian(rng: number[]): number {
  const u1 = nextUniform(rng);
  const u2 = nextUniform(rng);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
