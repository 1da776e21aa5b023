/**
 * The team leaderboard: each team's average return and how many play for it. One
 * component for the phone (`variant="card"`), the projector (`"screen"`) and the results
 * screen (`BestTeam`, the winner alone).
 */
import { For, Show } from "solid-js";
import type { TeamStanding } from "../../../worker/shared/messages";
import { fmtInt, fmtReturn, trendPct } from "../lib/format";

export function TeamStandings(props: {
  teams: TeamStanding[];
  /** The viewer's own team, highlighted. */
  mine?: string | null;
  variant?: "card" | "screen";
  /** At most this many rows (the projector's space is fixed). */
  limit?: number;
}) {
  const rows = () => (props.limit ? props.teams.slice(0, props.limit) : props.teams);
  return (
    <Show when={props.teams.length}>
      <section
        class={props.variant === "screen" ? "sc-teams" : "card teams-card"}
        aria-labelledby={props.variant === "screen" ? "sc-teams-h" : "teams-h"}
        data-testid="team-standings"
      >
        <h2 id={props.variant === "screen" ? "sc-teams-h" : "teams-h"}>Teams</h2>
        <ol class="team-rows">
          <For each={rows()}>
            {(t) => (
              <li class={props.mine === t.team ? "me" : ""} data-team={t.team}>
                <span class="rank num">{t.rank}</span>
                <span class="tname">{t.team}</span>
                <span class="tmembers num muted" title="players">
                  {fmtInt(t.members)} {t.members === 1 ? "player" : "players"}
                </span>
                <span class={`num ${trendPct(t.returnPct)}`}>{fmtReturn(t.returnPct)}</span>
              </li>
            )}
          </For>
        </ol>
      </section>
    </Show>
  );
}

/** The best team and its average return, for the results screen at close. */
export function BestTeam(props: { teams: TeamStanding[] }) {
  const best = () => props.teams.find((t) => t.rank === 1 && t.members > 0);
  return (
    <Show when={best()}>
      {(t) => (
        <div class="best-team" data-testid="best-team">
          <span class="muted">Best team</span>
          <strong class="tname">{t().team}</strong>
          <span class={`num ${trendPct(t().returnPct)}`}>{fmtReturn(t().returnPct)}</span>
          <span class="muted num">
            {fmtInt(t().members)} {t().members === 1 ? "player" : "players"}
          </span>
        </div>
      )}
    </Show>
  );
}
