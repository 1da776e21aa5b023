import { describe, expect, it } from "vitest";
import { axisLabel } from "../../../web/src/lib/chartAxis";

describe("the price chart's time axis", () => {
  it("labels marks in local time, with seconds where the mark falls on a second", () => {
    const t = new Date(2026, 11, 2, 18, 7, 42).getTime() / 1000; // local 18:07:42
    expect(axisLabel(t, 4)).toBe("18:07:42");
    expect(axisLabel(t, 3)).toBe("18:07");
    expect(axisLabel(t, 2)).toMatch(/2/);
    // Two marks 10 s apart on a short game's axis read differently.
    expect(axisLabel(t + 10, 4)).not.toBe(axisLabel(t, 4));
  });
});
