/**
 * Teams: which team a newcomer plays for, and the team leaderboard (the average return
 * of each team's members). Pure: the ranking pass hands in what it already computed.
 */
import type { TeamsConfig, TeamStanding } from "../../shared/messages.ts";
import { type Refusal, refuse } from "./common.ts";
import type { MarketState, PlayerState } from "./types.ts";

/** The team a name refers to, compared without case or surrounding spaces; undefined when none. */
export function teamNamed(teams: TeamsConfig, name: string): string | undefined {
  const wanted = name.trim().toLowerCase();
  return teams.names.find((t) => t.toLowerCase() === wanted);
}

/** How many players each team has (every team of the config, 0 for an empty one). */
export function teamSizes(teams: TeamsConfig, players: Iterable<PlayerState>): Map<string, number> {
  const sizes = new Map<string, number>(teams.names.map((t) => [t, 0]));
  for (const p of players) if (p.team !== undefined && sizes.has(p.team)) sizes.set(p.team, sizes.get(p.team)! + 1);
  return sizes;
}

/** Balanced assignment: the smallest team, the first listed among equals (so joins go round-robin). */
export function smallestTeam(sizes: Map<string, number>): string {
  let best: string | null = null;
  for (const [team, n] of sizes) if (best === null || n < sizes.get(best)!) best = team;
  return best!;
}

/**
 * The team a player joining now plays for: null in a market without teams; the one asked
 * for when players choose (refused if missing or unknown); the smallest team when the
 * market assigns them (what was asked for is then ignored).
 */
export function teamForNewcomer(state: MarketState, requested: string | undefined): { team: string | null } | Refusal {
  const teams = state.teams;
  if (!teams) {
    if (requested !== undefined) return refuse("VALIDATION", "This market has no teams");
    return { team: null };
  }
  if (teams.assign === "auto") return { team: smallestTeam(teamSizes(teams, state.players.values())) };
  if (requested === undefined) return refuse("VALIDATION", `Pick a team: ${teams.names.join(", ")}`);
  const team = teamNamed(teams, requested);
  if (team === undefined)
    return refuse("VALIDATION", `No team "${requested.trim()}" here; pick one of ${teams.names.join(", ")}`);
  return { team };
}

/** One member as the ranking pass saw them. */
export interface TeamMember {
  team: string | undefined;
  /** The member's return in percent (as shown: two decimals). */
  returnPct: number;
}

/**
 * The team leaderboard: each team's average member return (in percent, two decimals),
 * best first; equal averages keep the organiser's order, and teams nobody plays for yet go
 * last with 0. Ranks are 1, 2, 3... with no shared places, like the players'.
 */
export function teamStandings(teams: TeamsConfig, members: Iterable<TeamMember>): TeamStanding[] {
  const totals = new Map<string, { sum: number; count: number }>(teams.names.map((t) => [t, { sum: 0, count: 0 }]));
  for (const m of members) {
    const total = m.team === undefined ? undefined : totals.get(m.team);
    if (!total) continue;
    total.sum += m.returnPct;
    total.count += 1;
  }
  return standingsOf(teams, totals);
}

/**
 * The board after one more member who is worth the starting cash joined `team`: what a
 * lobby join changes, without a pass over every player (a hall joins at once).
 */
export function boardWithNewcomer(teams: TeamsConfig, board: TeamStanding[], team: string): TeamStanding[] {
  const totals = new Map<string, { sum: number; count: number }>(teams.names.map((t) => [t, { sum: 0, count: 0 }]));
  for (const row of board) {
    const total = totals.get(row.team);
    if (total) {
      total.count = row.members;
      total.sum = row.returnPct * row.members;
    }
  }
  const total = totals.get(team);
  if (total) total.count += 1;
  return standingsOf(teams, totals);
}

function standingsOf(teams: TeamsConfig, totals: Map<string, { sum: number; count: number }>): TeamStanding[] {
  const rows = teams.names.map((team, order) => {
    const { sum, count } = totals.get(team)!;
    // `|| 0` turns -0 into 0, as the players' returns do.
    const avg = count > 0 ? Math.round((sum / count) * 100) / 100 || 0 : 0;
    return { team, members: count, returnPct: avg, order };
  });
  rows.sort((a, b) => Number(b.members > 0) - Number(a.members > 0) || b.returnPct - a.returnPct || a.order - b.order);
  return rows.map((r, i) => ({ rank: i + 1, team: r.team, members: r.members, returnPct: r.returnPct }));
}

/**
 * The organiser changes the teams in the lobby. A team someone already plays for cannot
 * go away (409), nor can teams be switched off while players have one; with "auto",
 * players who have no team yet are given one, smallest first.
 */
export function setTeams(
  state: MarketState,
  teams: TeamsConfig | null,
): { ok: true; assigned: PlayerState[] } | Refusal {
  if (state.status !== "lobby") return refuse("MARKET_NOT_OPEN", "Teams can be changed only before the market opens");
  const inUse = new Set<string>();
  for (const p of state.players.values()) if (p.team !== undefined) inUse.add(p.team);
  const kept = new Set(teams?.names ?? []);
  const dropped = [...inUse].filter((t) => !kept.has(t));
  if (dropped.length > 0)
    return refuse(
      "TEAM_IN_USE",
      `Players already play for ${dropped.map((t) => `"${t}"`).join(", ")}; keep those teams`,
    );
  state.teams = teams;
  const assigned: PlayerState[] = [];
  if (teams?.assign === "auto") {
    const sizes = teamSizes(teams, state.players.values());
    for (const p of state.players.values()) {
      if (p.team !== undefined) continue;
      const team = smallestTeam(sizes);
      p.team = team;
      sizes.set(team, sizes.get(team)! + 1);
      assigned.push(p);
    }
  }
  return { ok: true, assigned };
}
