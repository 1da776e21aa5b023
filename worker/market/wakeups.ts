/**
 * Named wake-ups over the object's single alarm. A Durable Object has one alarm; the
 * market needs it for several reasons (the next tick, the lobby's roster, scheduled news,
 * a history retry, the timed session's open and close). Each reason reports when it next needs the object, and `arm` sets the
 * one alarm to the earliest of them. When the alarm fires, every reason that is due runs,
 * and the alarm is armed again, so one reason never has to know about the others.
 * (The shape follows tldraw's AlarmScheduler; unit-tested with fakes in test/node/market/wakeups.test.ts.)
 */
import type { Clock } from "../lib/clock";

export type WakeupName = "tick" | "roster" | "news" | "history" | "session";

/** The part of DurableObjectStorage the wake-ups use. */
export interface AlarmStorage {
  getAlarm(): Promise<number | null>;
  setAlarm(at: number): Promise<void>;
  deleteAlarm(): Promise<void>;
}

/** Each reason: when it next needs the object (ms since the epoch), or null for never. */
export type WakeupSources = Record<WakeupName, () => number | null>;

/** An alarm is never set closer than this: a time in the past would fire at once, again and again. */
export const MIN_WAKEUP_DELAY_MS = 10;

export class Wakeups {
  constructor(
    private readonly storage: AlarmStorage,
    private readonly clock: Clock,
    private readonly sources: WakeupSources,
  ) {}

  /** When one reason next needs the object, as its source says (null for never). */
  dueAt(name: WakeupName): number | null {
    return this.sources[name]();
  }

  /** The earliest wake-up any reason needs, or null when none does. */
  next(): { name: WakeupName; at: number } | null {
    const now = this.clock.now();
    let best: { name: WakeupName; at: number } | null = null;
    for (const name of Object.keys(this.sources) as WakeupName[]) {
      const due = this.sources[name]();
      if (due === null) continue;
      const at = Math.max(now + MIN_WAKEUP_DELAY_MS, due);
      if (best === null || at < best.at) best = { name, at };
    }
    return best;
  }

  /**
   * Sets the alarm for the earliest wake-up, or deletes it when nothing is due. A pending
   * alarm that is earlier still is kept (it wakes the object a little early, which is
   * harmless: every reason checks its own time); a stale one (in the past) is replaced.
   */
  async arm(): Promise<void> {
    const next = this.next();
    if (next === null) {
      await this.storage.deleteAlarm();
      return;
    }
    const current = await this.storage.getAlarm();
    if (current === null || current > next.at || current < this.clock.now()) await this.storage.setAlarm(next.at);
  }
}
