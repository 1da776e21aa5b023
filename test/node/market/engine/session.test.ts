import { describe, expect, it } from "vitest";
import {
  applyControl,
  createMarket,
  sessionActionDue,
  sessionDueAt,
  setSession,
} from "../../../../worker/market/engine";
import { SESSION_MAX_MS, SESSION_MIN_MS } from "../../../../worker/shared/messages";
import { config, must } from "../../../support/engine";

const NOW = 1_000_000;
const lobby = () => createMarket(config(), 0);

describe("the timed session", () => {
  it("a new market has no session: nothing is due, ever", () => {
    const state = lobby();
    expect(state.session).toEqual({ opensAt: null, closesAt: null, durationMs: null });
    expect(sessionDueAt(state.status, state.session)).toBeNull();
    expect(sessionActionDue(state, NOW * 1000)).toBeNull();
  });

  it("a scheduled open and close: due at the open in the lobby, at the close while trading", () => {
    const state = lobby();
    must(setSession(state, { opensAt: NOW + 60_000, closesAt: NOW + 660_000 }, NOW));
    expect(sessionDueAt(state.status, state.session)).toBe(NOW + 60_000);
    expect(sessionActionDue(state, NOW + 59_999)).toBeNull();
    expect(sessionActionDue(state, NOW + 60_000)).toBe("open");
    must(applyControl(state, "open", NOW + 60_000));
    expect(sessionDueAt(state.status, state.session)).toBe(NOW + 660_000);
    expect(sessionActionDue(state, NOW + 659_999)).toBeNull();
    expect(sessionActionDue(state, NOW + 660_000)).toBe("close");
    must(applyControl(state, "pause", NOW + 100_000));
    expect(sessionActionDue(state, NOW + 700_000)).toBe("close"); // the bell rings while paused too
    must(applyControl(state, "close", NOW + 700_000));
    expect(sessionDueAt(state.status, state.session)).toBeNull();
    expect(sessionActionDue(state, NOW + 800_000)).toBeNull();
  });

  it("a duration becomes the close when the market opens, by hand or on time", () => {
    const state = lobby();
    must(setSession(state, { durationMs: 300_000 }, NOW));
    expect(state.session).toEqual({ opensAt: null, closesAt: null, durationMs: 300_000 });
    expect(sessionDueAt(state.status, state.session)).toBeNull(); // waits for the organiser
    must(applyControl(state, "open", NOW + 5000));
    expect(state.session).toEqual({ opensAt: NOW + 5000, closesAt: NOW + 305_000, durationMs: 300_000 });
  });

  it("opening by hand before the scheduled time records the real open and keeps a fixed close", () => {
    const state = lobby();
    must(setSession(state, { opensAt: NOW + 60_000, closesAt: NOW + 600_000 }, NOW));
    must(applyControl(state, "open", NOW + 1000));
    expect(state.session).toMatchObject({ opensAt: NOW + 1000, closesAt: NOW + 600_000 });
  });

  it("fields left out are kept, null clears, and closesAt and durationMs replace each other", () => {
    const state = lobby();
    must(setSession(state, { opensAt: NOW + 60_000, durationMs: 120_000 }, NOW));
    must(setSession(state, { closesAt: NOW + 600_000 }, NOW));
    expect(state.session).toEqual({ opensAt: NOW + 60_000, closesAt: NOW + 600_000, durationMs: null });
    must(setSession(state, { durationMs: 60_000 }, NOW));
    expect(state.session).toEqual({ opensAt: NOW + 60_000, closesAt: null, durationMs: 60_000 });
    must(setSession(state, { opensAt: null, durationMs: null }, NOW));
    expect(state.session).toEqual({ opensAt: null, closesAt: null, durationMs: null });
  });

  it.each([
    [{ opensAt: NOW - 1 }, /opensAt: that time has already passed/],
    [{ opensAt: NOW + 31 * 86_400_000 }, /opensAt: at most 30 days ahead/],
    [{ closesAt: NOW - 1 }, /closesAt: that time has already passed/],
    [{ opensAt: NOW + 60_000, closesAt: NOW + 30_000 }, /closesAt: must be at least 10 s after opensAt/],
    [{ closesAt: NOW + SESSION_MIN_MS - 1 }, /closesAt: must be at least 10 s after now/],
    [{ opensAt: NOW + 1000, closesAt: NOW + 1000 + SESSION_MAX_MS + 1 }, /closesAt: a session lasts at most/],
  ])("refuses %j and changes nothing", (patch, message) => {
    const state = lobby();
    must(setSession(state, { durationMs: 60_000 }, NOW));
    const before = structuredClone(state.session);
    const result = setSession(state, patch, NOW);
    expect(result).toMatchObject({ ok: false, code: "VALIDATION", message: expect.stringMatching(message) });
    expect(state.session).toEqual(before);
  });

  it("once open only the close may change; a duration then counts from now", () => {
    const state = lobby();
    must(applyControl(state, "open", NOW));
    expect(setSession(state, { opensAt: NOW + 5000 }, NOW)).toMatchObject({ ok: false, code: "VALIDATION" });
    must(setSession(state, { durationMs: 600_000 }, NOW + 10_000));
    expect(state.session).toMatchObject({ closesAt: NOW + 610_000, durationMs: 600_000 });
    must(setSession(state, { closesAt: null }, NOW + 20_000));
    expect(sessionDueAt(state.status, state.session)).toBeNull();
  });

  it("a closed market's session is final", () => {
    const state = lobby();
    must(applyControl(state, "open", NOW));
    must(applyControl(state, "close", NOW + 1));
    expect(setSession(state, { closesAt: NOW + 60_000 }, NOW + 2)).toMatchObject({
      ok: false,
      code: "MARKET_NOT_OPEN",
    });
  });
});
