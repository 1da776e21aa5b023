import { describe, expect, it } from "vitest";
import { fmtCountdown, fmtDuration, sessionCountdown, skewFrom } from "../../../web/src/lib/sessionClock";

const S = (opensAt: number | null, closesAt: number | null) => ({ opensAt, closesAt, durationMs: null });

describe("session countdowns", () => {
  it("before the bell, time left while trading, the final minute, and nothing once closed", () => {
    expect(sessionCountdown("lobby", S(10_000, 100_000), 4_000)).toEqual({ kind: "opens", ms: 6_000 });
    expect(sessionCountdown("lobby", S(null, 100_000), 4_000)).toBeNull();
    expect(sessionCountdown("open", S(10_000, 100_000), 20_000)).toEqual({ kind: "left", ms: 80_000, final: false });
    expect(sessionCountdown("paused", S(10_000, 100_000), 40_000)).toEqual({ kind: "left", ms: 60_000, final: true });
    expect(sessionCountdown("open", S(10_000, 100_000), 200_000)).toEqual({ kind: "left", ms: 0, final: true });
    expect(sessionCountdown("closed", S(10_000, 100_000), 50_000)).toBeNull();
    expect(sessionCountdown("open", S(10_000, null), 50_000)).toBeNull();
    expect(sessionCountdown(undefined, undefined, 0)).toBeNull();
  });

  it("formats", () => {
    expect(fmtCountdown(59_001)).toBe("1:00");
    expect(fmtCountdown(59_000)).toBe("0:59");
    expect(fmtCountdown(0)).toBe("0:00");
    expect(fmtCountdown(3_723_000)).toBe("1:02:03");
    expect(fmtDuration(30 * 60_000)).toBe("30 min");
    expect(fmtDuration(90 * 60_000)).toBe("1 h 30 min");
    expect(fmtDuration(45_000)).toBe("45 s");
    expect(fmtDuration(90_000)).toBe("1 min 30 s");
  });

  it("the clock skew follows the server's stamps, discounting network delay", () => {
    let skew = skewFrom(null, 10_000, 7_000); // this device is 3 s behind
    expect(skew).toBe(3_000);
    skew = skewFrom(skew, 12_000, 9_500); // a slow message: looks like 2.5 s
    expect(skew).toBe(2_500);
  });
});
