import { describe, expect, it } from "vitest";
import { formOf, localInputOf, manualSession, sessionBody, sessionFormProblem } from "../../../web/src/lib/sessionForm";

describe("the console's session fields", () => {
  it("by hand clears every field; a time and a duration become epoch ms", () => {
    expect(sessionBody(manualSession())).toEqual({ opensAt: null, closesAt: null, durationMs: null });
    const t = new Date(2026, 11, 2, 18, 30, 5).getTime();
    const v = {
      ...manualSession(),
      openMode: "at" as const,
      opensAt: localInputOf(t),
      closeMode: "after" as const,
      minutes: "0.5",
    };
    expect(sessionBody(v)).toEqual({ opensAt: t, durationMs: 30_000 });
    expect(sessionBody({ ...v, closeMode: "at", closesAt: localInputOf(t + 60_000) }, true)).toEqual({
      closesAt: t + 60_000,
    });
  });

  it("shows a market's session, and reads it back the same", () => {
    const t = new Date(2026, 11, 2, 18, 0, 0).getTime();
    const s = { opensAt: t, closesAt: null, durationMs: 45 * 60_000 };
    expect(sessionBody(formOf(s))).toEqual({ opensAt: t, durationMs: 45 * 60_000 });
    expect(formOf(undefined)).toEqual(manualSession());
  });

  it("names what is missing instead of sending null (which would mean 'by hand')", () => {
    expect(sessionFormProblem({ ...manualSession(), openMode: "at" })).toBe("Pick the opening time.");
    expect(sessionFormProblem({ ...manualSession(), closeMode: "at" })).toBe("Pick the closing time.");
    expect(sessionFormProblem({ ...manualSession(), closeMode: "after", minutes: "0" })).toMatch(/minutes/);
    expect(sessionFormProblem({ ...manualSession(), openMode: "at" }, true)).toBeNull();
  });
});
