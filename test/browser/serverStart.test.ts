/**
 * The test servers themselves: suites start theirs at the same moment (vitest runs files
 * in parallel), and each must come up. Four at once once failed two in three tries with
 * "Address already in use": the free port each was given could be handed to the next.
 */
import { expect, test } from "vitest";
import { startServer } from "./server";

test("four test servers started at once all answer, each on its own port", async () => {
  const started = await Promise.allSettled([startServer(), startServer(), startServer(), startServer()]);
  const up = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  try {
    expect(started.flatMap((r) => (r.status === "rejected" ? [String(r.reason).slice(0, 2000)] : []))).toEqual([]);
    expect(new Set(up.map((s) => s.base)).size).toBe(4);
    for (const s of up) expect((await fetch(`${s.base}/api/health`)).status).toBe(200);
  } finally {
    await Promise.all(up.map((s) => s.stop()));
  }
}, 180_000);
