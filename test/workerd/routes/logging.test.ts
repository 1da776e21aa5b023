/**
 * The logs (worker/lib/log.ts): one JSON line per request with the fields Workers Logs
 * is queried by, one per circuit-breaker trip, and never a token.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setLogLevel } from "../../../worker/lib/log";
import { ADMIN, api, connect, createMarket, join, order, stubOf } from "../../support/workerd";

/** Every console line written while `run` runs, as the text that reached the console. */
async function captureConsole(run: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  };
  for (const method of ["log", "info", "warn", "error", "debug"] as const)
    vi.spyOn(console, method).mockImplementation(keep);
  try {
    await run();
  } finally {
    vi.restoreAllMocks();
  }
  return lines;
}

function events(lines: string[], event: string): Record<string, unknown>[] {
  return lines
    .map((line) => {
      try {
        return JSON.parse(line);
      } catch {
        return null;
      }
    })
    .filter((entry) => entry?.event === event);
}

// The workerd setup keeps info lines quiet; here they are the subject.
beforeEach(() => {
  setLogLevel("info");
});
afterEach(() => {
  setLogLevel("warn");
  vi.restoreAllMocks();
});

describe("the request log", () => {
  it("writes one JSON line per request: id, route, market, status, duration; no token, no query", async () => {
    const code = await createMarket();
    const player = await join(code, "Logan");
    let placed: Awaited<ReturnType<typeof api>> | undefined;
    const lines = await captureConsole(async () => {
      placed = await api("POST", `/api/markets/${code}/orders`, {
        token: player.token,
        body: order("ACME", "buy", 1),
        headers: { "cf-ray": "8f00000000000001-AMS" },
      });
    });
    expect(placed?.status, placed?.text).toBe(201);
    const requests = events(lines, "request");
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      level: "info",
      requestId: "8f00000000000001-AMS",
      method: "POST",
      route: "/api/markets/:code/orders",
      path: `/api/markets/${code}/orders`,
      market: code,
      status: 201,
      env: "local",
    });
    expect(requests[0].durationMs).toEqual(expect.any(Number));
    // Each line is one JSON object on one line.
    for (const line of lines.filter((l) => l.includes('"event"'))) expect(line).not.toContain("\n");
    expect(lines.join("\n")).not.toContain(player.token);
    expect(lines.join("\n")).not.toContain("Bearer");
  });

  it("names the refusal's error code, and a request without a Ray ID gets an id of its own", async () => {
    const code = await createMarket();
    const lines = await captureConsole(async () => {
      // The organiser's token on a player's route: 403, and the token must not be logged.
      expect((await api("GET", `/api/markets/${code}/portfolio`, { token: ADMIN })).status).toBe(403);
      expect((await api("GET", "/api/no/such/route")).status).toBe(404);
    });
    const [refused, missing] = events(lines, "request");
    expect(refused).toMatchObject({
      status: 403,
      errorCode: "FORBIDDEN",
      market: code,
      route: "/api/markets/:code/portfolio",
    });
    expect(refused.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(missing).toMatchObject({ status: 404, errorCode: "NOT_FOUND" });
    expect(missing.requestId).not.toBe(refused.requestId);
    expect(lines.join("\n")).not.toContain(ADMIN);
  });

  it("logs the feed's upgrade by its path, without the ?token= that carries the player's token", async () => {
    const code = await createMarket();
    const player = await join(code, "Sockette");
    const lines = await captureConsole(async () => {
      const sock = await connect(code, player.token);
      await sock.next((m) => m.type === "snapshot");
      sock.ws.close(1000);
    });
    const [upgrade] = events(lines, "request");
    expect(upgrade).toMatchObject({ route: "/api/markets/:code/ws", path: `/api/markets/${code}/ws`, status: 101 });
    expect(lines.join("\n")).not.toContain(player.token);
    expect(lines.join("\n")).not.toContain("token=");
  });
});

describe("market events", () => {
  it("a circuit-breaker trip and its end are one line each, naming the market and the symbols", async () => {
    const code = await createMarket({ rules: { haltBand: 0.15, haltTicks: 2 } });
    await api("POST", `/api/markets/${code}/news`, {
      token: ADMIN,
      body: { headline: "ACME doubles", impacts: [{ symbol: "ACME", move: 1 }] },
    });
    const stub = stubOf(code);
    const lines = await captureConsole(async () => {
      for (let i = 0; i < 3; i++) await runDurableObjectAlarm(stub);
    });
    expect(events(lines, "circuit_breaker")).toEqual([
      expect.objectContaining({ level: "info", market: code, halted: ["ACME"] }),
    ]);
    expect(events(lines, "circuit_breaker_resumed")).toEqual([
      expect.objectContaining({ market: code, resumed: ["ACME"] }),
    ]);
  });
});
