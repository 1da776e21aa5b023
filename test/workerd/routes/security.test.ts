/**
 * Security properties a player would notice: user text stays text, CSV exports cannot run
 * formulas, and nobody reaches another player's orders or fills. (The secrets and the
 * feed's refusals are in secrets.test.ts.)
 */
import { parse } from "csv-parse/browser/esm/sync";
import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { toCsv } from "../../../worker/lib/csv";
import { ADMIN, api, connect, createMarket, join, order, stubOf } from "../../support/workerd";

const XSS = ["<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "<script>alert('x')</script>"];

/** The exports read back with a real CSV parser: a cell must round-trip exactly. */
const parseCsv = (text: string): string[][] => parse(text, { relaxColumnCount: false });

describe("nicknames and news are text, returned exactly as written", () => {
  it("an HTML nickname comes back verbatim, as JSON, in every place it is shown", async () => {
    const code = await createMarket();
    const players = [];
    for (const name of XSS) {
      const res = await api("POST", `/api/markets/${code}/join`, { body: { name: name.slice(0, 24) } });
      expect(res.status, res.text).toBe(201);
      expect(res.json.player.name).toBe(name.slice(0, 24));
      // JSON, never HTML: a browser opening the URL cannot run it.
      expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
      players.push(res.json);
    }
    const names = XSS.map((n) => n.slice(0, 24)).sort();
    const listed = await api("GET", `/api/markets/${code}/players`, { token: ADMIN });
    expect(listed.json.players.map((p: any) => p.name).sort()).toEqual(names);
    // Ranks are refreshed once per tick, so let one tick pass before reading the leaders.
    const sock = await connect(code, players[0].token);
    await sock.next((m) => m.type === "snapshot");
    await runDurableObjectAlarm(stubOf(code));
    const tick = await sock.next((m) => m.type === "tick");
    expect(tick.leaders.map((l: any) => l.name).sort()).toEqual(names);
    const board = await api("GET", `/api/markets/${code}/leaderboard?limit=50`);
    expect(board.json.leaders.map((l: any) => l.name).sort()).toEqual(names);
    expect(board.headers.get("Content-Type")).toMatch(/^application\/json/);
    const snap = await api("GET", `/api/markets/${code}`);
    expect(snap.json.leaders.map((l: any) => l.name).sort()).toEqual(names);
    const fresh = await connect(code);
    expect((await fresh.next((m) => m.type === "snapshot")).leaders.map((l: any) => l.name).sort()).toEqual(names);
  });

  it("a nickname with control characters is refused, so tabs and line breaks never reach a screen or a CSV row", async () => {
    const code = await createMarket();
    for (const name of ["a\tb", "a\rb", "a\nb", "x\u0000", "\u001b[31mred"]) {
      const res = await api("POST", `/api/markets/${code}/join`, { body: { name } });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.json.error.code).toBe("VALIDATION");
    }
  });

  it("news headlines and bodies with HTML are stored and sent verbatim", async () => {
    const code = await createMarket();
    const sock = await connect(code);
    await sock.next((m) => m.type === "snapshot");
    const headline = XSS[0];
    const body = `${XSS[1]} & ${XSS[2]} &amp; &#60;`;
    const res = await api("POST", `/api/markets/${code}/news`, { token: ADMIN, body: { headline, body, impacts: [] } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.news).toMatchObject({ headline, body });
    const pushed = await sock.next((m) => m.type === "news");
    expect(pushed.news).toMatchObject({ headline, body });
    const snap = await api("GET", `/api/markets/${code}`);
    expect(snap.json.news[0]).toMatchObject({ headline, body });
  });
});

describe("CSV exports cannot run formulas", () => {
  it("player names starting with = + - @ are exported with a leading apostrophe, and still round-trip as CSV", async () => {
    const code = await createMarket();
    const risky = ['=HYPERLINK("x")', "+SUM(A1:A9)", "-2+3", "@cmd", 'Bob "the, builder"'];
    for (const name of risky) {
      const p = await join(code, name);
      const res = await api("POST", `/api/markets/${code}/orders`, { token: p.token, body: order("BOLT", "buy", 1) });
      expect(res.status, res.text).toBe(201);
    }
    const fills = parseCsv((await api("GET", `/api/markets/${code}/export/fills.csv`, { token: ADMIN })).text);
    const standings = parseCsv((await api("GET", `/api/markets/${code}/export/standings.csv`, { token: ADMIN })).text);
    const fillNames = fills.slice(1).map((r) => r[2]);
    const standingNames = standings.slice(1).map((r) => r[1]);
    for (const names of [fillNames, standingNames]) {
      expect(names.sort()).toEqual(
        ["'+SUM(A1:A9)", "'-2+3", '\'=HYPERLINK("x")', "'@cmd", 'Bob "the, builder"'].sort(),
      );
      // No cell a spreadsheet would evaluate.
      for (const n of names) expect(n).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it("tab and carriage return prefixes are guarded too (the encoder, for any future text column)", () => {
    const csv = toCsv(
      ["a", "b", "c"],
      [
        ["\t=1+1", "\r=2", "-5"],
        [null, -5, "ok"],
      ],
    );
    const rows = parseCsv(csv);
    expect(rows[1][0]).toBe("'\t=1+1");
    expect(rows[1][1]).toBe("'\r=2");
    expect(rows[1][2]).toBe("'-5");
    // Numbers are numbers, not text: a negative amount stays a number.
    expect(rows[2]).toEqual(["", "-5", "ok"]);
  });
});

describe("a player sees and touches only their own orders and fills", () => {
  it("guessed order ids of another player answer exactly like ids that do not exist, and change nothing", async () => {
    const code = await createMarket();
    const ann = await join(code, "Ann");
    const bob = await join(code, "Bob");
    const filled = await api("POST", `/api/markets/${code}/orders`, {
      token: ann.token,
      body: order("ACME", "buy", 5),
    });
    const resting = await api("POST", `/api/markets/${code}/orders`, {
      token: ann.token,
      body: order("ACME", "buy", 2, { type: "limit", limitPrice: 60 }),
    });
    const restingSell = await api("POST", `/api/markets/${code}/orders`, {
      token: ann.token,
      body: order("ACME", "sell", 1, { type: "limit", limitPrice: 140 }),
    });
    const bobOwn = await api("POST", `/api/markets/${code}/orders`, {
      token: bob.token,
      body: order("BOLT", "buy", 1),
    });
    const annIds = [filled, resting, restingSell].map((r) => r.json.order.id);
    const annBefore = [
      (await api("GET", `/api/markets/${code}/portfolio`, { token: ann.token })).json,
      (await api("GET", `/api/markets/${code}/orders?status=all`, { token: ann.token })).json,
      (await api("GET", `/api/markets/${code}/fills`, { token: ann.token })).json,
    ];

    // Bob guesses every id in the range, plus Ann's exact ids.
    const missing = await api("DELETE", `/api/markets/${code}/orders/o999999`, { token: bob.token });
    expect(missing.status).toBe(404);
    const guesses = [...Array.from({ length: 12 }, (_, i) => `o${i + 1}`), ...annIds].filter(
      (id) => id !== bobOwn.json.order.id,
    );
    for (const id of guesses) {
      const res = await api("DELETE", `/api/markets/${code}/orders/${id}`, { token: bob.token });
      // Same status and message as an id that does not exist: no oracle for "this exists".
      expect(res.status, id).toBe(404);
      expect(res.json).toEqual(missing.json);
    }

    // Bob's lists hold only Bob's things, whatever cursor he passes.
    const bobOrders = (await api("GET", `/api/markets/${code}/orders?status=all`, { token: bob.token })).json.orders;
    expect(bobOrders.map((o: any) => o.id)).toEqual([bobOwn.json.order.id]);
    const annFillId = annBefore[2].fills[0].id;
    for (const q of ["", "?limit=500", `?before=${annFillId}`, "?before=f999999", "?before=f1"]) {
      const fills = (await api("GET", `/api/markets/${code}/fills${q}`, { token: bob.token })).json.fills;
      for (const f of fills) expect(f.orderId, q).toBe(bobOwn.json.order.id);
    }

    // Ann's book is exactly as it was.
    const annAfter = [
      (await api("GET", `/api/markets/${code}/portfolio`, { token: ann.token })).json,
      (await api("GET", `/api/markets/${code}/orders?status=all`, { token: ann.token })).json,
      (await api("GET", `/api/markets/${code}/fills`, { token: ann.token })).json,
    ];
    // Prices move with Bob's own trade; Ann's holdings, orders and fills must not.
    const strip = (pf: any) => ({
      cash: pf.cash,
      reserved: pf.reserved,
      positions: pf.positions.map((p: any) => [p.symbol, p.qty, p.reservedQty, p.avgCost]),
    });
    expect(strip(annAfter[0])).toEqual(strip(annBefore[0]));
    expect(annAfter[1]).toEqual(annBefore[1]);
    expect(annAfter[2]).toEqual(annBefore[2]);
  });

  it("a socket cannot claim a player by header: without a token it is public and gets nobody's fills", async () => {
    const code = await createMarket();
    const ann = await join(code, "Ann");
    const res = await exports.default.fetch(
      new Request(`http://marketflow.test/api/markets/${code}/ws`, {
        headers: { Upgrade: "websocket", "X-Player-Id": ann.id, "CF-Connecting-IP": "10.1.2.3" },
      }),
    );
    const ws = res.webSocket!;
    const messages: any[] = [];
    ws.addEventListener("message", (e) => {
      messages.push(JSON.parse(e.data as string));
    });
    ws.accept();
    await api("POST", `/api/markets/${code}/orders`, { token: ann.token, body: order("ACME", "buy", 1) });
    await runDurableObjectAlarm(stubOf(code));
    await vi.waitFor(() => expect(messages.some((m) => m.type === "tick")).toBe(true));
    const snap = messages.find((m) => m.type === "snapshot");
    expect(snap.portfolio).toBeUndefined();
    expect(snap.playerId).toBeUndefined();
    expect(messages.some((m) => m.type === "fill")).toBe(false);
    ws.close(1000);
  });
});
