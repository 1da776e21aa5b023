import { describe, expect, it } from "vitest";
import {
  applyControl,
  boardWithNewcomer,
  createMarket,
  joinPlayer,
  refreshRanks,
  setTeams,
  teamStandings,
} from "../../../../worker/market/engine";
import type { TeamsConfig } from "../../../../worker/shared/messages";
import { buy, config, must, sym } from "../../../support/engine";

const RED_BLUE: TeamsConfig = { names: ["Red", "Blue"], assign: "choose" };

describe("teamStandings", () => {
  it("ranks teams by their members' average return, empty teams last with 0", () => {
    const board = teamStandings({ names: ["Red", "Blue", "Green"], assign: "choose" }, [
      { team: "Red", returnPct: 10 },
      { team: "Red", returnPct: -4 },
      { team: "Blue", returnPct: 5 },
      { team: undefined, returnPct: 99 },
      { team: "Gone", returnPct: 50 },
    ]);
    expect(board).toEqual([
      { rank: 1, team: "Blue", members: 1, returnPct: 5 },
      { rank: 2, team: "Red", members: 2, returnPct: 3 },
      { rank: 3, team: "Green", members: 0, returnPct: 0 },
    ]);
  });

  it("keeps the organiser's order between equal averages and rounds to two decimals", () => {
    const board = teamStandings({ names: ["A", "B"], assign: "auto" }, [
      { team: "B", returnPct: 1 / 3 },
      { team: "A", returnPct: 1 / 3 },
    ]);
    expect(board.map((r) => [r.team, r.returnPct])).toEqual([
      ["A", 0.33],
      ["B", 0.33],
    ]);
  });

  it("counts a lobby newcomer without a pass over every player, as a full ranking would", () => {
    const teams = { names: ["A", "B", "C"], assign: "auto" } as TeamsConfig;
    let board = teamStandings(teams, []);
    const members: { team: string; returnPct: number }[] = [];
    for (const team of ["B", "B", "C", "A", "B"]) {
      board = boardWithNewcomer(teams, board, team);
      members.push({ team, returnPct: 0 });
      expect(board).toEqual(teamStandings(teams, members));
    }
  });
});

describe("joining a market with teams", () => {
  it("takes the team a player picks (any case) and refuses a missing or unknown one", () => {
    const state = createMarket(config({}, { teams: RED_BLUE }), 0);
    expect(must(joinPlayer(state, "ann", 0, "red")).player.team).toBe("Red");
    const missing = joinPlayer(state, "bob", 0);
    expect(missing).toMatchObject({ ok: false, code: "VALIDATION" });
    expect(joinPlayer(state, "bob", 0, "Purple")).toMatchObject({ ok: false, code: "VALIDATION" });
    expect(state.players.size).toBe(1);
  });

  it("gives each newcomer the smallest team when the market assigns them (round robin)", () => {
    const state = createMarket(config({}, { teams: { names: ["A", "B", "C"], assign: "auto" } }), 0);
    const teams = ["p1", "p2", "p3", "p4", "p5"].map((n) => must(joinPlayer(state, n, 0, "C")).player.team);
    expect(teams).toEqual(["A", "B", "C", "A", "B"]);
  });

  it("refuses a team in a market without teams", () => {
    const state = createMarket(config(), 0);
    expect(joinPlayer(state, "ann", 0, "Red")).toMatchObject({ ok: false, code: "VALIDATION" });
    expect(must(joinPlayer(state, "ann", 0)).player.team).toBeUndefined();
  });

  it("ranks the team board with every tick's ranking, from the members' net worth", () => {
    const state = createMarket(config({}, { teams: RED_BLUE }), 0);
    must(joinPlayer(state, "ann", 0, "Red"));
    must(joinPlayer(state, "bob", 0, "Blue"));
    must(joinPlayer(state, "cat", 0, "Blue"));
    must(applyControl(state, "open", 0));
    buy(state, "p1", "ACME", 10);
    sym(state, "ACME").last = 20_000; // ACME doubles: ann's 10 shares gain $1,000 = +10%
    refreshRanks(state);
    const red = state.teamBoard!.find((t) => t.team === "Red")!;
    expect(red.members).toBe(1);
    expect(red.returnPct).toBeGreaterThan(9);
    expect(state.teamBoard![0].team).toBe("Red");
    expect(state.top.find((l) => l.playerId === "p2")!.team).toBe("Blue");
  });
});

describe("setTeams in the lobby", () => {
  it("assigns players without a team when switched to auto, and keeps teams in use", () => {
    const state = createMarket(config(), 0);
    must(joinPlayer(state, "ann", 0));
    must(joinPlayer(state, "bob", 0));
    const set = must(setTeams(state, { names: ["X", "Y"], assign: "auto" }));
    expect(set.assigned.map((p) => p.team)).toEqual(["X", "Y"]);
    expect(setTeams(state, { names: ["X", "Z"], assign: "auto" })).toMatchObject({ ok: false, code: "TEAM_IN_USE" });
    expect(setTeams(state, null)).toMatchObject({ ok: false, code: "TEAM_IN_USE" });
    must(setTeams(state, { names: ["X", "Y", "Z"], assign: "choose" }));
    must(applyControl(state, "open", 0));
    expect(setTeams(state, { names: ["X", "Y", "Z", "W"], assign: "choose" })).toMatchObject({
      ok: false,
      code: "MARKET_NOT_OPEN",
    });
  });
});
