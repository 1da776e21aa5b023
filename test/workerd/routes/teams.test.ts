/** Teams through the real routes: chosen and assigned at the door, the team board everywhere the leaders go. */
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testClock } from "../../support/clock";
import { ADMIN, api, connect, join, order, stubOf, SYMBOLS, uniqueCode } from "../../support/workerd";

async function createWithTeams(teams: unknown, extra: Record<string, unknown> = {}) {
  const code = uniqueCode();
  const res = await api("POST", "/api/markets", {
    token: ADMIN,
    body: {
      code,
      name: `Teams ${code}`,
      startingCash: 10000,
      tickMs: 60000,
      seed: 1,
      symbols: SYMBOLS,
      teams,
      ...extra,
    },
  });
  return { code, res };
}

const joinTeam = (code: string, name: string, team?: string) =>
  api("POST", `/api/markets/${code}/join`, { body: team === undefined ? { name } : { name, team } });

describe("a market whose players choose their team", () => {
  it("takes the pick at the door, refuses none or an unknown one, and ranks the teams on every tick", async () => {
    const { code, res } = await createWithTeams({ names: ["Bulls", "Bears"], assign: "choose" });
    expect(res.status, res.text).toBe(201);
    expect(res.json.market.teams).toEqual({ names: ["Bulls", "Bears"], assign: "choose" });
    const ann = await joinTeam(code, "Ann", "bulls");
    expect(ann.status, ann.text).toBe(201);
    expect(ann.json.player.team).toBe("Bulls");
    expect((await joinTeam(code, "Bob")).json.error.code).toBe("VALIDATION");
    expect((await joinTeam(code, "Bob", "Wolves")).status).toBe(400);
    const bob = await joinTeam(code, "Bob", "Bears");
    expect(bob.status).toBe(201);

    // In the lobby the board counts members at once (no ticks yet).
    const snap = (await api("GET", `/api/markets/${code}`)).json;
    expect(snap.teams.map((t: any) => [t.team, t.members])).toEqual([
      ["Bulls", 1],
      ["Bears", 1],
    ]);
    expect(snap.leaders.map((l: any) => [l.name, l.team])).toEqual([
      ["Ann", "Bulls"],
      ["Bob", "Bears"],
    ]);

    await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "open" } });
    const sock = await connect(code);
    await sock.next((m) => m.type === "snapshot");
    const bought = await api("POST", `/api/markets/${code}/orders`, {
      token: bob.json.token,
      body: order("ACME", "buy", 50),
    });
    expect(bought.status, bought.text).toBe(201);
    testClock().advance(60_000);
    await runDurableObjectAlarm(stubOf(code));
    const tick = await sock.next((m) => m.type === "tick");
    expect(tick.teams).toHaveLength(2);
    expect(tick.teams.map((t: any) => t.rank)).toEqual([1, 2]);
    const bears = tick.teams.find((t: any) => t.team === "Bears");
    const bobLeader = tick.leaders.find((l: any) => l.name === "Bob");
    expect(bears.returnPct).toBe(bobLeader.returnPct);
    const board = await api("GET", `/api/markets/${code}/leaderboard`);
    expect(board.json.teams).toEqual(tick.teams);
    const players = await api("GET", `/api/markets/${code}/players`, { token: ADMIN });
    expect(players.json.players.map((p: any) => p.team).sort()).toEqual(["Bears", "Bulls"]);
  });
});

describe("a market that assigns teams", () => {
  it("gives each newcomer the smallest team, round robin, also after a restart", async () => {
    const { code } = await createWithTeams({ names: ["Red", "Green", "Blue"], assign: "auto" });
    const teams: string[] = [];
    for (const name of ["a1", "a2", "a3", "a4"]) teams.push((await joinTeam(code, name, "Blue")).json.player.team);
    await evictDurableObject(stubOf(code));
    teams.push((await joinTeam(code, "a5")).json.player.team);
    expect(teams).toEqual(["Red", "Green", "Blue", "Red", "Green"]);
    const snap = (await api("GET", `/api/markets/${code}`)).json;
    expect(snap.teams.map((t: any) => [t.team, t.members])).toEqual([
      ["Red", 2],
      ["Green", 2],
      ["Blue", 1],
    ]);
  });
});

describe("teams set in the lobby", () => {
  it("assign the players already in, keep teams in use, and are refused once the market opens", async () => {
    const { code } = await createWithTeams(undefined);
    expect((await api("GET", `/api/markets/${code}`)).json.teams).toBeUndefined();
    await join(code, "Ann");
    await join(code, "Bob");
    const put = (teams: unknown) => api("PUT", `/api/markets/${code}/teams`, { token: ADMIN, body: { teams } });
    const set = await put({ names: ["East", "West"], assign: "auto" });
    expect(set.status, set.text).toBe(200);
    expect(set.json.market.teams.names).toEqual(["East", "West"]);
    const players = (await api("GET", `/api/markets/${code}/players`, { token: ADMIN })).json.players;
    expect(players.map((p: any) => p.team).sort()).toEqual(["East", "West"]);
    const dropped = await put({ names: ["East", "North"], assign: "auto" });
    expect(dropped.status).toBe(409);
    expect(dropped.json.error.code).toBe("TEAM_IN_USE");
    expect((await put({ names: ["Solo"], assign: "auto" })).status).toBe(400);
    expect((await put({ names: ["A", "a"], assign: "auto" })).status).toBe(400);
    expect((await put({ names: ["A", "B"], assign: "sometimes" })).status).toBe(400);
    await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "open" } });
    const late = await put({ names: ["East", "West", "South"], assign: "auto" });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe("MARKET_NOT_OPEN");
  });

  it("are validated at creation, naming the field", async () => {
    const { res } = await createWithTeams({ names: ["Only"], assign: "choose" });
    expect(res.status).toBe(400);
    expect(res.json.error.details.map((d: any) => d.field)).toContain("teams.names");
  });
});

describe("currency and number format", () => {
  it("are set at creation, default from the currency, and reach every client in the public rules", async () => {
    const inr = await createWithTeams(undefined, { rules: { currency: "INR" } });
    expect(inr.res.status, inr.res.text).toBe(201);
    const snap = (await api("GET", `/api/markets/${inr.code}`)).json;
    expect(snap.market.rules).toMatchObject({ currency: "INR", locale: "en-IN" });
    const usd = await createWithTeams(undefined);
    expect(usd.res.json.market.rules).toMatchObject({ currency: "USD", locale: "en-US" });
    const eur = await createWithTeams(undefined, { rules: { currency: "EUR", locale: "en-IE" } });
    expect(eur.res.json.market.rules).toMatchObject({ currency: "EUR", locale: "en-IE" });
    const bad = await createWithTeams(undefined, { rules: { currency: "XYZ" } });
    expect(bad.res.status).toBe(400);
    expect(bad.res.json.error.details.map((d: any) => d.field)).toContain("rules.currency");
  });
});

describe("the scenario export", () => {
  it("carries the teams and the money format, and creates the same market again", async () => {
    const { code } = await createWithTeams(
      { names: ["Bulls", "Bears"], assign: "auto" },
      { rules: { currency: "INR" } },
    );
    const exported = (await api("GET", `/api/markets/${code}/scenario`, { token: ADMIN })).json;
    expect(exported.market.teams).toEqual({ names: ["Bulls", "Bears"], assign: "auto" });
    expect(exported.market.rules).toMatchObject({ currency: "INR", locale: "en-IN" });
    const again = await api("POST", "/api/markets", { token: ADMIN, body: { ...exported.market, code: uniqueCode() } });
    expect(again.status, again.text).toBe(201);
    expect(again.json.market.teams).toEqual({ names: ["Bulls", "Bears"], assign: "auto" });
  });
});
