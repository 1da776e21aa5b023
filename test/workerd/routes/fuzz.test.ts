/**
 * Hostile input: fast-check throws well over 10,000 generated requests at every route of
 * the contract (generators in test/support/fuzz/). Each answer must be a 4xx in the
 * contract's error shape (or a real 2xx when the input happens to be valid), never a
 * 5xx and never a hang; the market must keep ticking afterwards; and the ledger of every
 * player must be exactly as it was, except for what an accepted (2xx) request did.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ADMIN, api, connect, stubOf } from "../../support/workerd";
import { BATCH, HTTP_RUNS, setupWorld, bookOf, acceptedBy, ledgerProblems } from "../../support/fuzz/world";
import { requestArb, type Answer, send, problemsOf } from "../../support/fuzz/requests";

// ------------------------------------------------------------------ the suites

describe("fuzzing every route", () => {
  it("10,000+ generated requests: only 4xx in the contract's shape or valid 2xx, no hang, the market still ticks, the ledger moves only by what was accepted", async () => {
    const world = await setupWorld();
    const sock = await connect(world.code, world.p1.token);
    const snap = await sock.next((m) => m.type === "snapshot");
    const booksBefore = await Promise.all(world.ledger.map((p) => bookOf(world.code, p.token)));
    const playersBefore = (await api("GET", `/api/markets/${world.code}/players`, { token: ADMIN })).json.players;

    const answers: Answer[] = [];
    const problems: string[] = [];
    const orderCodes: Record<string, number> = {};
    const statuses: Record<number, number> = {};
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(requestArb(world), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const settled = await Promise.allSettled(batch.map((g) => send(world, g)));
        const got = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
        for (const s of settled) if (s.status === "rejected") problems.push(String(s.reason));
        problems.push(...got.flatMap(problemsOf));
        for (const a of got) {
          statuses[a.status] = (statuses[a.status] ?? 0) + 1;
          if (a.method === "POST" && a.url.includes("/orders") && a.status !== 101) {
            const code = a.status < 300 ? String(a.status) : (JSON.parse(a.text).error.code as string);
            orderCodes[code] = (orderCodes[code] ?? 0) + 1;
          }
          // Keep only what the ledger check needs.
          if (
            a.status < 300 &&
            (a.method === "POST" || a.method === "DELETE") &&
            a.url.toUpperCase().includes("/ORDERS")
          )
            answers.push(a);
        }
        // Collected rather than thrown: fast-check would print the whole batch of 50.
        return problems.length === 0;
      }),
      { numRuns: HTTP_RUNS, endOnFailure: true, reporter: () => undefined },
    );
    expect(problems.slice(0, 20)).toEqual([]);
    const total = Object.values(statuses).reduce((a, b) => a + b, 0);
    const accepted = world.ledger.map((p) => acceptedBy(answers, world, p.token));
    console.log(
      `fuzz: accepted order requests per ledger player (placed/cancelled): ${accepted.map((a) => `${a.created.size}/${a.cancelled.size}`).join(" ")}`,
    );
    console.log(
      `fuzz: ${total} requests in ${Date.now() - started} ms; statuses ${JSON.stringify(statuses)}; order placements ${JSON.stringify(orderCodes)}`,
    );
    expect(total).toBeGreaterThanOrEqual(10_000);

    // The ledger: nothing refused moved anything.
    const booksAfter = await Promise.all(world.ledger.map((p) => bookOf(world.code, p.token)));
    const ledger = world.ledger.flatMap((p, i) =>
      ledgerProblems(p.name, booksBefore[i], booksAfter[i], accepted[i], 10000),
    );
    expect(ledger).toEqual([]);
    // Players who were there before are all still there, with the same names.
    const playersAfter = (await api("GET", `/api/markets/${world.code}/players`, { token: ADMIN })).json.players;
    for (const p of playersBefore) expect(playersAfter.find((q: any) => q.id === p.id)?.name).toBe(p.name);

    // The market keeps its heartbeat: the next tick reaches an old socket with the next seq.
    // From the market itself: the public route may answer from the Redis copy, which is
    // written just after each public message and can trail it by a moment.
    const current = await stubOf(world.code).snapshot();
    if (!current.ok) throw new Error(current.message);
    const seqBefore = current.snapshot.seq;
    expect(seqBefore).toBeGreaterThanOrEqual(snap.seq);
    await runDurableObjectAlarm(stubOf(world.code));
    const tick = await sock.next((m) => m.type === "tick" && m.seq === seqBefore + 1);
    expect(tick.prices.map((p: any) => p.symbol)).toEqual(["ACME", "BOLT"]);
    // And a new client gets a snapshot at that seq.
    const fresh = await connect(world.code);
    expect((await fresh.next((m) => m.type === "snapshot")).seq).toBe(seqBefore + 1);
  }, 90_000);
});
