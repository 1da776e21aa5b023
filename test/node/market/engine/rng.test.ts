import { describe, expect, it } from "vitest";
import { nextGaussian, nextUniform, seedRng } from "../../../../worker/market/engine";

describe("the seeded generator", () => {
  it("gives the same sequence for the same seed and a different one for another seed", () => {
    const a = seedRng(42);
    const b = seedRng(42);
    const c = seedRng(43);
    const seqA = Array.from({ length: 5 }, () => nextUniform(a));
    expect(Array.from({ length: 5 }, () => nextUniform(b))).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => nextUniform(c))).not.toEqual(seqA);
  });

  it("keeps its whole state in four uint32 numbers, so a JSON copy continues the same sequence", () => {
    const rng = seedRng(1);
    nextUniform(rng);
    expect(rng).toHaveLength(4);
    for (const w of rng) expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true);
    const copy = JSON.parse(JSON.stringify(rng)) as number[];
    expect(nextGaussian(copy)).toBe(nextGaussian(rng));
  });

  it("draws uniforms strictly inside (0, 1) with a mean near one half", () => {
    const rng = seedRng(3);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      const u = nextUniform(rng);
      expect(u > 0 && u < 1).toBe(true);
      sum += u;
    }
    expect(sum / 20_000).toBeCloseTo(0.5, 1);
  });

  it("draws standard normals: mean near 0, variance near 1, always finite", () => {
    const rng = seedRng(9);
    const n = 20_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const z = nextGaussian(rng);
      expect(Number.isFinite(z)).toBe(true);
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.05);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
  });
});
