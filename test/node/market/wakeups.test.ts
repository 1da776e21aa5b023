// The market's named wake-ups over its single alarm, with a fake alarm and a stepped clock.
import { describe, expect, it } from "vitest";
import { MIN_WAKEUP_DELAY_MS, Wakeups, type AlarmStorage, type WakeupSources } from "../../../worker/market/wakeups";

class FakeAlarm implements AlarmStorage {
  at: number | null = null;
  sets = 0;
  async getAlarm() {
    return this.at;
  }
  async setAlarm(at: number) {
    this.at = at;
    this.sets += 1;
  }
  async deleteAlarm() {
    this.at = null;
  }
}

function setup(due: Partial<Record<keyof WakeupSources, number | null>>, now = 1_000_000) {
  const clock = {
    t: now,
    now() {
      return this.t;
    },
  };
  const alarm = new FakeAlarm();
  const sources: WakeupSources = {
    tick: () => due.tick ?? null,
    roster: () => due.roster ?? null,
    news: () => due.news ?? null,
    history: () => due.history ?? null,
    session: () => due.session ?? null,
  };
  return { clock, alarm, wakeups: new Wakeups(alarm, clock, sources) };
}

describe("named wake-ups over one alarm", () => {
  it("the alarm is set to the earliest reason, and says which one that is", async () => {
    const { alarm, wakeups } = setup({ tick: 1_002_000, news: 1_000_500, history: 1_001_000 });
    expect(wakeups.next()).toEqual({ name: "news", at: 1_000_500 });
    await wakeups.arm();
    expect(alarm.at).toBe(1_000_500);
  });

  it("with nothing due the alarm is deleted", async () => {
    const { alarm, wakeups } = setup({});
    alarm.at = 1_005_000;
    await wakeups.arm();
    expect(alarm.at).toBeNull();
  });

  it("a time already past is moved a little ahead, so the alarm never fires in a loop", async () => {
    const { alarm, wakeups } = setup({ roster: 999_000 });
    await wakeups.arm();
    expect(alarm.at).toBe(1_000_000 + MIN_WAKEUP_DELAY_MS);
  });

  it("an earlier pending alarm is kept; a later or stale one is replaced", async () => {
    const { clock, alarm, wakeups } = setup({ tick: 1_002_000 });
    alarm.at = 1_001_000;
    await wakeups.arm();
    expect(alarm).toMatchObject({ at: 1_001_000, sets: 0 });
    alarm.at = 1_003_000;
    await wakeups.arm();
    expect(alarm.at).toBe(1_002_000);
    // The clock passes the pending alarm without it having fired: it is stale.
    alarm.at = 1_001_000;
    clock.t = 1_001_500;
    await wakeups.arm();
    expect(alarm.at).toBe(1_002_000);
  });
});
